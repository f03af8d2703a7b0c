/**
 * Words and short phrases used everywhere: yes/no, the family names, the
 * verdict kinds' one-word names. docs/glossary.md says why each Chinese term
 * was chosen.
 */
import { t } from '../lang.js';

/** Shared terms, by key. */
export const TERMS = {
  'term.yes': t('yes', '是'),
  'term.fileWeights': t("the file's weights", '檔案中的權重'),
  'term.literal': t('{s}', '{s}'),
  'term.no': t('no', '否'),
  'term.none': t('none', '無'),
  'term.never': t('never', '不飽和'),
  'term.notApplicable': t('—', '—'),
  'term.family.relu': t('ReLU family', 'ReLU 家族'),
  'term.family.tanh': t('tanh family', 'tanh 家族'),
  'term.family.sigmoid': t('sigmoid family', 'sigmoid 家族'),
  'term.family.other': t('other', '其他'),
  'term.kind.vector': t('vector', '向量運算'),
  'term.kind.layer': t('layer', '自成一層'),
  'term.verdict.vanishing': t('vanishing', '梯度消失'),
  'term.verdict.exploding': t('exploding', '梯度爆炸'),
  'term.verdict.dead': t('dead', '神經元死亡'),
  'term.verdict.saturated': t('saturated', '神經元飽和'),
  'term.verdict.collapsed': t('collapsed', '表徵塌縮'),
  'term.verdict.healthy': t('healthy', '正常'),
  'term.run.quick': t('quick', '快速'),
  'term.run.full': t('full', '完整'),
} as const;
