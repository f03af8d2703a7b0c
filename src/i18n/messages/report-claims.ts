/** The report's claims (every published claim the study tests, with its measurement and outcome). */
import { t } from '../lang.js';

/** Sentences of the claims section and tally, by key. */
export const REPORT_CLAIMS = {
  'cl.title': t('Claims', '主張'),
  'cl.missing': t('The claims', '主張'),
  'cl.here': t('Claims tested here', '本節檢驗的主張'),
  'cl.col.measured': t('measured: median [band], seeds', '實測：中位數 [區間]，種子數'),
  'cl.col.test': t('test and tolerance', '檢驗方式與容許誤差'),
  'cl.seeds': t('{m}, {n:seeds}', '{m}，{n} 個種子'),
  'cl.seed': t('{m}, 1 seed', '{m}，1 個種子'),
  'cl.tally': t('{n} claims tested: {yes} yes, {partly} partly, {indistinguishable} indistinguishable, {no} no.', '共檢驗 {n} 項主張：{yes} 項是、{partly} 項部分、{indistinguishable} 項無法區分、{no} 項否。'),
  'cl.meaning': t('Every claim the study tests, in one table. "yes": the measurement agrees within the stated tolerance; "partly": some of it holds (the test says which part); "no": it does not hold here; "indistinguishable": the seeds cannot tell the two settings apart at this budget. {tally}', '本研究檢驗的所有主張，列於同一張表。「是」：測量結果在所述容許誤差內一致；「部分」：其中一部分成立（檢驗方式說明是哪一部分）；「否」：在此不成立；「無法區分」：在這個訓練預算下，各種子無法分辨兩種設定。{tally}'),
  'cl.agree.yes': t('yes', '是'),
  'cl.agree.no': t('no', '否'),
  'cl.agree.partly': t('partly', '部分'),
  'cl.agree.indistinguishable': t('indistinguishable', '無法區分'),
} as const;
