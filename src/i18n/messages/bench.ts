/**
 * What `gradscope bench` says: its progress, its notes on the run and the
 * table's headers. The workload and contender names (a-sigmoid-784-30-10,
 * torch-2t …) and units of measure are names, not sentences.
 */
import { t } from '../lang.js';

/** The bench's messages, by key. */
export const BENCH = {
  'bench.progress.tfjs': t('loading TensorFlow.js…', '載入 TensorFlow.js…'),
  'bench.progress.torch': t('looking for PyTorch…', '尋找 PyTorch…'),
  'bench.progress.prepare': t('{workload}: preparing {names}', '{workload}：準備 {names}'),
  'bench.progress.warmup': t('{workload}: warm-up done', '{workload}：暖身完成'),
  'bench.progress.rep': t('{workload}: repetition {r}/{n}', '{workload}：第 {r}/{n} 次重複'),

  'bench.note.noSimd': t("gradscope runs on the '{kernels}' kernels: WebAssembly SIMD is not available here", "gradscope 使用 '{kernels}' 核心：此處沒有 WebAssembly SIMD"),
  'bench.note.tfjsMissing': t('tfjs not installed; peers skipped ({command})', '未安裝 tfjs，略過這些對照組（{command}）'),
  'bench.note.tfjsBackend': t("tfjs backend '{backend}' did not initialise; tfjs-{backend} skipped", "tfjs 後端 '{backend}' 無法初始化，略過 tfjs-{backend}"),
  'bench.note.torchMissing': t('PyTorch not found (tried {tried}: none can {command}); the torch peer is skipped', '找不到 PyTorch（試過 {tried}，都無法執行 {command}），略過 torch 對照組'),
  'bench.note.torchStart': t('PyTorch ({python}) did not start: {why}', 'PyTorch（{python}）無法啟動：{why}'),
  'bench.note.blas': t('PyTorch loaded {libs} ({kind}), not OpenBLAS or MKL: its numbers are not what a PyTorch user would see (install libopenblas0-pthread)', 'PyTorch 載入的是 {libs}（{kind}），不是 OpenBLAS 或 MKL：它的數字不是一般 PyTorch 使用者會看到的（請安裝 libopenblas0-pthread）'),
  'bench.note.noBlas': t('no BLAS library', '沒有 BLAS 函式庫'),
  'bench.note.loss': t('{workload}: {name} starts from loss {loss}, gradscope-f64 from {ref}: they do not train the same network', '{workload}：{name} 的起始損失為 {loss}，gradscope-f64 為 {ref}：兩者訓練的不是同一個網路'),
  'bench.note.busy': t('{busy} of {all} timed repetitions started on a busy machine (more than {cores:cores} busy after {ms} ms): other load was running, and those numbers are lower than this machine gives', '{all} 次計時重複中有 {busy} 次開始時機器仍忙碌（等了 {ms} 毫秒後仍有超過 {cores} 個核心在忙）：有其他負載在執行，這些數字低於這部機器的實際水準'),

  'bench.method': t(
    "median [min–max] of {n} alternating repetitions, each at least {s} s long and started on a quiet machine; gradscope, tfjs-wasm and torch-1t on one thread, gradscope-{t}t and torch-{t}t on {t}; gradscope-{t}t-dense is gradscope-{t}t with the sparse products off (the first layer multiplies the digits' zeros too, as the peers do); ratios are gradscope / peer of medians, best ÷ best compares each side's faster configuration (gradscope's default ones); wasm peak is independent multiply-adds on one core, the products' limit",
    '{n} 次交替重複的中位數 [最小–最大]，每次至少 {s} 秒，且在機器閒置後才開始；gradscope、tfjs-wasm 與 torch-1t 用一個執行緒，名稱帶執行緒數的欄位用 {t} 個；gradscope-{t}t-dense 是關閉稀疏乘積的 gradscope-{t}t（第一層也乘上數字影像中的零，和對照組一樣）；比值為 gradscope 與對照組中位數之比，「最佳 ÷」欄位比較雙方各自較快的設定（gradscope 取預設設定）；wasm 峰值是單一核心上互不相依的乘加運算，也就是矩陣乘積的上限',
  ),
  'bench.method.quick': t(
    '{n} repetition, no warm-up; gradscope, tfjs-wasm and torch-1t on one thread, gradscope-{t}t and torch-{t}t on {t}',
    '{n} 次重複，沒有暖身；gradscope、tfjs-wasm 與 torch-1t 用一個執行緒，名稱帶執行緒數的欄位用 {t} 個',
  ),
  'bench.col.workload': t('workload', '工作負載'),
  'bench.col.unit': t('unit', '單位'),
  'bench.col.best': t('best ÷ {peer}', '最佳 ÷ {peer}'),
  'bench.col.peak': t('wasm peak (1 thread)', 'wasm 峰值（單執行緒）'),
  'bench.col.ofPeak': t('1 thread ÷ peak', '單執行緒 ÷ 峰值'),
  'bench.unit.examples/s': t('examples/s', '樣本/秒'),
  'bench.unit.GFLOP/s': t('GFLOP/s', 'GFLOP/s'),
  'bench.note.alone': t('{alone} of the {all} jobs {name} could split ran on one thread, after {holdUps} times a worker held the others up (the system took it off its core mid-chunk: other load was running)', '{name} 可分工的 {all} 件工作中有 {alone} 件改在單一執行緒上執行，因為有 {holdUps} 次某個工作執行緒拖住了其他執行緒（系統在分塊途中把它移出核心：有其他負載在執行）'),
  'bench.note': t('note:', '備註：'),
} as const;
