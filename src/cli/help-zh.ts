/**
 * The command line's help in Traditional Chinese (the English stands beside
 * each flag in commands/*.ts): command descriptions by command path, flag
 * texts by `path --flag` (or by the flag alone, for the flags many commands
 * share with the same English text), arguments by `path <name>`, run
 * settings by name, commander's headings and its error sentences. A test
 * (help.test.ts) walks the command tree: every visible text has its entry
 * here and every entry names something that exists.
 */
import { PEER_NAMES } from '../bench/run.js';
import { WORKLOADS } from '../bench/workloads.js';
import { MEMORY_ENV } from '../experiments/budget.js';
import type { SettingName } from '../run/settings.js';

/** Commands by path ('' is the program itself). */
export const COMMAND_ZH: Readonly<Record<string, string>> = {
  '': '梯度消失與梯度爆炸的實驗室，也幫你挑選激活函數。\n不帶指令時執行研究（gradscope study）。',
  study: '在內建的手寫數字上執行梯度消失研究，並寫出 HTML 報告',
  activations: '激活函數目錄：ReLU、tanh 與 sigmoid 三大家族',
  'activations show': '單一函數的完整說明：公式、導數、性質、優缺點與圖形',
  'activations eval': '以 float64 計算 f 與 f′ 在指定各點的值',
  probe:
    '新初始化網路的逐層梯度診斷（可加上補救方法，也可先在探測資料上訓練 --steps 步），或用 --model FILE 診斷你自己的網路（ONNX、TensorFlow.js model.json、gradscope 模型；可再用 --init、--activation、--norm、--residual 修改它，--compare 並排印出修改前後兩者）；每個執行設定都有對應的選項',
  grad: '給定輸入與目標時，網路（gradscope 模型、ONNX 或 TensorFlow.js model.json）的精確梯度',
  gradcheck:
    '以中央有限差分（float64）檢查反向傳播：對模型檔，或對依執行設定中的網路設定所產生的網路（--arch、--activation、--activation-params、--output-activation、--init、--bias-init、--norm、--residual、--loss；--seed 抽出它的權重與批次）',
  train: '一次帶有逐層梯度探測的訓練，寫出一個執行目錄（設定檔中的每個設定也都能以選項指定）',
  rnn: '遞迴網路：在長時間間隔的任務上訓練 RNN、LSTM 或 GRU，並呈現隨時間傳遞的梯度',
  theory: '平均場訊號傳播：q*、c*、χ₁、χ_c、深度尺度、所處的相與臨界 σ_w²（Poole 等人 2016；Schoenholz 等人 2017）',
  sweep: '對執行設定欄位做網格搜尋或隨機搜尋，可在工作池上執行、分片執行，或經由 Redis 佇列分派',
  'sweep report': '一次掃描的 HTML 報告（熱度圖，跨種子彙整），以及所有結果的 CSV',
  'sweep merge': '把一次掃描各分片的資料夾合併成一個掃描資料夾（不同掃描的資料夾會被拒絕）',
  worker: '從 Redis 佇列取出掃描的各次執行並執行它們（見 gradscope sweep --queue）',
  export: '把網路匯出成 ONNX（onnxruntime 與 PyTorch 的 ONNX 工具可載入），或把執行目錄匯出成 TensorBoard 事件檔',
  report: '單次訓練的離線 HTML 報告：損失、準確率、各層梯度範數隨時間的變化、層 × 時間熱度圖、死亡與飽和比例、診斷結果、第一個非有限值',
  bench: '訓練吞吐量與矩陣乘積的 GFLOP/s，在同一次執行中與 TensorFlow.js（cpu 與 wasm 後端）及 PyTorch（1 與 N 個執行緒）比較',
  serve: '在本機 HTTP 伺服器上提供網頁實驗室（激活函數探索頁、訓練場、研究報告檢視器）',
};

/** Flags several commands share with the same English text, by flag: the English they must have, and the Chinese. */
export const SHARED_OPTION_ZH: Readonly<Record<string, { readonly en: string; readonly zh: string }>> = {
  '--json': { en: 'print one JSON document', zh: '在標準輸出印出一份 JSON' },
  '--lang': { en: 'language of what is printed and written (default: from LC_ALL, LC_MESSAGES or LANG, else en)', zh: '輸出與寫出檔案所用的語言（預設取自 LC_ALL、LC_MESSAGES 或 LANG，否則為 en）' },
  '--memory': {
    en: `memory budget, such as 8G or 512M: settings that would need more are refused before anything is allocated (default: ${MEMORY_ENV}, else half of the machine's memory)`,
    zh: `記憶體預算，例如 8G 或 512M：需要更多記憶體的設定會在配置任何東西之前被拒絕（預設取自 ${MEMORY_ENV}，否則為本機記憶體的一半）`,
  },
};

/** Flags by `path --flag`. */
export const OPTION_ZH: Readonly<Record<string, string>> = {
  '--debug': '錯誤時印出堆疊追蹤',

  'study --quick': '較少的種子、步數與深度：約一分鐘',
  'study --out': '報告資料夾',
  'study --seed': '所有隨機抽樣的種子',
  'study --workers': '工作執行緒數，1 表示在本執行緒中執行；兩種方式得到的結果相同',
  'study --resume': '保留中斷的研究已記錄在 OUT/lr-sweep 中的訓練（第 3 階段的學習率掃描），不從頭開始',
  'study --json': '在標準輸出印出 results.json，而不是摘要',

  'activations --family': '只列一個家族：relu、tanh、sigmoid、other',
  'activations show --param': '繪圖用的參數，可重複',
  'activations eval --at': '以逗號分隔的各點，例如 -1,0,1',
  'activations eval --param': '參數值，可重複，例如 negative_slope=0.2',
  'activations eval --json': '印出 {"name","x","y","dy"}',

  'probe --compare': '也用同一個種子探測不加補救方法的網路，並把兩者並排印出',

  'grad --model': '模型檔：gradscope-model/1 或 /2、ONNX（.onnx）、TensorFlow.js model.json（依內容判別）',
  'grad --input': '輸入：由列組成的 JSON 陣列（批次 × 特徵）',
  'grad --target': '目標：由列組成的 JSON 陣列（批次 × 輸出）',
  'grad --loss': '損失函數',
  'grad --dtype': 'float64（精確）或 float32',

  'gradcheck --model': '模型檔；搭配 --input 與 --target',
  'gradcheck --input': '輸入（JSON 列）',
  'gradcheck --target': '目標（JSON 列）',
  'gradcheck --batch': '產生的批次中的樣本數',
  'gradcheck --tol': '容許的最大相對誤差',

  'train --out': '執行目錄（預設 runs/<時間戳記>-<設定雜湊>）',
  'train --force': '覆寫非空 --out 目錄中的執行檔案',
  'train --json': '在標準輸出印出 summary.json，而不是摘要',

  'rnn --cell': '遞迴單元',
  'rnn --task': 'adding 為 Hochreiter 與 Schmidhuber 的加法問題，order 為時間順序，copy 為複製記憶',
  'rnn --length': '序列長度 T：adding、order 為 T 到 T + T/10 步；copy 為延遲，共 T + 20 步',
  'rnn --hidden': '每個單元的隱藏神經元數 H',
  'rnn --steps': '訓練步數',
  'rnn --batch': '每步的序列數',
  'rnn --lr': '學習率',
  'rnn --optimizer': '最佳化器',
  'rnn --clip-norm': "在 c 處裁剪全域梯度範數；'none' 表示不裁剪",
  'rnn --truncate': '截斷 BPTT 的視窗步數，0 表示完整 BPTT',
  'rnn --act': '普通 RNN 的激活函數，可用目錄中任一逐元素函數',
  'rnn --param': '--act 的參數，可重複，例如 negative_slope=0.2',
  'rnn --forget-bias': 'LSTM 遺忘閘的偏差',
  'rnn --update-bias': 'GRU 更新閘的偏差',
  'rnn --init': '輸入權重 W_ih 的初始化方法',
  'rnn --recurrent-init': 'W_hh 每個遞迴區塊的初始化方法',
  'rnn --recurrent-gain': '初始化後乘在 W_hh 上的倍數',
  'rnn --test-size': '計算解出比例用的保留序列數',
  'rnn --seed': '權重、訓練資料與測試集的種子',
  'rnn --dtype': 'float32 或 float64',

  'theory --act': '激活函數',
  'theory --param': '激活函數的參數，可重複',
  'theory --sigma-w2': '權重變異數 σ_w²（W ~ N(0, σ_w²/n_in)），> 0',
  'theory --sigma-b2': '偏差變異數 σ_b²（b ~ N(0, σ_b²)），≥ 0',
  'theory --critical': '在 --sigma-b2 給定的 σ_b² 下，求出位於混沌邊緣（χ₁ = 1）的 σ_w²',
  'theory --q0': '長度映射起點的輸入預激活值變異數',

  'sweep --out': '掃描資料夾：manifest.json 與 results.jsonl（除非用 --dry-run，否則必須指定）',
  'sweep --workers': '本機同時執行的數量（預設為核心數）',
  'sweep --resume': '完成 --out 中已有的掃描；已記錄的執行不會重跑',
  'sweep --shard': '只執行 n 個分片中的第 i 個（i 從 0 起）：編號除以 n 餘 i 的執行',
  'sweep --queue': '把執行放上 Redis 佇列（redis://HOST:PORT），交給 `gradscope worker` 行程執行並收集結果',
  'sweep --queue-name': '與工作行程共用的佇列名稱',
  'sweep --queue-timeout': 'Redis 連續失聯這麼多秒就放棄，結束碼 1，保留所有結果',
  'sweep --keep-runs': '保留 DIR/runs/<id> 下的每個執行目錄（metrics.jsonl、model.json……）',
  'sweep --dry-run': '驗證掃描並列出它的各次執行，但不執行',
  'sweep --json': '在標準輸出印出 JSON 摘要',
  'sweep report --rows': '熱度圖列所用的掃描鍵（預設 activation，否則為第一個掃描鍵）',
  'sweep report --cols': '熱度圖欄所用的掃描鍵（預設 depth，否則為下一個掃描鍵）',
  'sweep report --html': '報告寫到哪裡（預設 DIR/report.html）',
  'sweep report --csv': 'CSV 寫到哪裡（預設 DIR/results.csv）',
  'sweep report --json': '以 JSON 印出寫了什麼',
  'sweep merge --out': '合併後的掃描資料夾（可以是輸入之一；必須指定）',
  'sweep merge --json': '以 JSON 印出結果',

  'worker --queue': '存放佇列的 Redis，redis://HOST:PORT[/DB]',
  'worker --queue-name': '與掃描共用的佇列名稱',
  'worker --concurrency': '同時執行的數量（預設為核心數）',
  'worker --lock-seconds': '一次執行的鎖定秒數：工作行程被終止時，它手上的執行約過這麼久會被重試',
  'worker --idle-exit': '閒置這麼多秒沒有工作就結束（預設：執行到被停止為止）',
  'worker --queue-timeout': 'Redis 連續失聯這麼多秒就放棄，結束碼 1',

  'export --to': '要寫出的格式',
  'export --out': '要寫出的 ONNX 檔（預設：SOURCE 的副檔名改為 .onnx），或 TensorBoard 目錄',
  'export --dtype': '搭配 --to onnx：權重的浮點型別',

  'report --out': 'HTML 檔（預設 RUN_DIR/report.html）',
  'report --title': '頁面標題',

  'bench --json': '在標準輸出印出一份 JSON：machine（含 torch）、settle、threads，以及每個工作負載的 name、unit、gradscope、variants、peers、ratio、best、limit',
  'bench --quick': '冒煙測試：少量步數、一次重複、不暖身（幾秒鐘，不是量測）',
  'bench --only': `只執行名稱等於或以此開頭的工作負載（${WORKLOADS.map((x) => x.name).join('、')}）`,
  'bench --reps': '每個受測組態（gradscope 與各對照組）的計時重複次數（預設 7，--quick 為 1）',
  'bench --threads': 'gradscope-Nt 與 torch-Nt 的執行緒數（預設 2；1 表示兩者都不跑）',
  'bench --peers': `已安裝時要執行的對照組：${PEER_NAMES.join(',')}（預設全部）或 none`,
  'bench --no-peers': '不執行任何對照組（--peers none）',
  'bench --python': '執行 PyTorch 用的 Python（預設：$GRADSCOPE_PYTHON、python3、/usr/bin/python3 中第一個能 import torch 的）',

  'serve --port': '監聽的連接埠；0 表示任一空閒連接埠',
  'serve --host': '監聽的位址；不指定時只接受本機迴路的連線',
  'serve --report': '在 /report/ 下提供的研究報告資料夾',
  'serve --open': '在預設瀏覽器中開啟實驗室',
};

/** Arguments by `path <name>`. */
export const ARGUMENT_ZH: Readonly<Record<string, string>> = {
  'activations show <name>': '激活函數名稱',
  'activations eval <name>': '激活函數名稱',
  'train <config>': '執行設定檔（JSON）',
  'sweep <sweep>': '掃描檔（JSON，gradscope-sweep/1；見 docs/sweeps.md）',
  'sweep report <dir>': '掃描資料夾',
  'sweep merge <dirs>': '要合併的掃描資料夾（分片）',
  'export <source>': '模型檔（gradscope、ONNX、TensorFlow.js model.json），或搭配 --to tensorboard 時的執行目錄',
  'export <out>': '搭配 --to tensorboard：事件檔要寫入的目錄',
  'report <run-dir>': '執行目錄（由 gradscope train --out DIR 或 TensorFlow.js 監看器寫出）',
};

/** The run settings' help, by setting (their English is `doc` in src/run/settings.ts). */
export const SETTING_ZH: Readonly<Record<SettingName, string>> = {
  arch: "以 '-' 連接的各層大小（NxK 表示 N 重複 K 次），輸入在前，例如 784-30x4-10",
  activation: '隱藏層的激活函數，或以逗號連接、每個隱藏層一個',
  activationParams: '隱藏層激活函數的參數，例如 negative_slope=0.2（各自套用到具有該參數的激活函數所在的層）',
  outputActivation: '搭配平方損失時的輸出激活函數（其他損失已隱含它：binary_cross_entropy 用 sigmoid，cross_entropy 用 softmax）',
  init: '初始化方法（normal、nielsen、torch_default、xavier_uniform、he_normal、…、critical[:SB2]、meanfield:SW2[:SB2]、uniform:A、normal:S），或每個權重層一個',
  biasInit: '偏差依初始化方法自己的規則，或全為零',
  loss: '損失函數，它也決定輸出激活函數',
  model: '從這個模型檔的網路與權重開始（ONNX、TensorFlow.js model.json 或 gradscope-model；此時 arch 取自檔案，描述已建好網路的設定不可再指定）',
  dtype: 'float32，或用 float64 處理低於 float32 範圍的梯度',
  optimizer: '更新規則',
  lr: '學習率 η',
  momentum: 'momentum/nesterov（以及 sgd）的 μ、rmsprop 的 ρ（sgd 預設 0，其他預設 0.9）',
  beta1: 'Adam 的 β₁',
  beta2: 'Adam 的 β₂',
  eps: 'Adam 與 RMSprop 的 ε',
  l2: 'L2 正則化：w ← (1 − ηλ/n)·w − η∇，λ 即 Nielsen 的 λ，n 為訓練樣本數',
  l1: 'L1 正則化 λ₁：w ← w − (ηλ₁/n)·sign(w)',
  weightDecay: 'AdamW 的解耦權重衰減：w ← w − ηλw',
  schedule: '學習率排程：constant、step:EVERY[:FACTOR] 或 cosine[:MINLR]',
  warmup: '排程開始前的線性暖身步數',
  batchSize: '每步的樣本數',
  epochs: '訓練輪數上限（none：只由 maxSteps 限制）',
  maxSteps: '步數上限（none：只由 epochs 限制）',
  gradTol: '全域梯度範數 ‖∇‖ 低於此值時停止',
  targetLoss: '批次損失低於此值時停止',
  norm: '每個隱藏層線性部分與激活函數之間的正規化',
  residual: '把隱藏層做成殘差區塊 y = x + f(N(Wx + b))（寬度改變處用投影）',
  dropout: '每個隱藏層激活函數之後的 dropout 機率',
  clipNorm: '以全域範數 c 裁剪梯度（‖g‖ ≥ c 時 g ← c·g/‖g‖）',
  clipValue: '把每個梯度分量夾在 [−v, v] 之內',
  maxNorm: '每次更新後，把各神經元的輸入權重縮放到範數 ≤ c',
  pretrain: '訓練前先做貪婪式逐層自編碼器預訓練',
  pretrainSteps: '每個隱藏層的預訓練步數',
  pretrainLr: '預訓練的學習率',
  pretrainBatchSize: '預訓練每步的樣本數',
  pretrainOptimizer: '預訓練的更新規則',
  data: 'digits、mnist:DIR、spiral、circles、xor、gaussians、moons',
  samples: '取前 n 個樣本（digits、mnist），或要抽出多少個（合成資料集；預設 1000）',
  testFraction: '保留作測試的比例（mnist:DIR 有自己的測試檔）',
  noise: '合成資料集的雜訊',
  classes: '合成資料集的類別數',
  probeEvery: '每隔這麼多步探測一次（auto：約 50 次探測，最多佔訓練時間的一半）',
  probeSamples: '固定探測批次中的樣本數（取訓練集最前面的）',
  jacobianSamples: '每次探測計算 Jacobian 奇異值所用的樣本數，0 表示略過',
  testAccuracy: '每次探測都量測測試準確率',
  stepsEvery: '每隔這麼多步寫一行 steps.jsonl（0：不寫；auto：5,000 步以內每步都寫，否則約 5,000 行）',
  seed: '權重、資料切分與順序，以及所有隨機抽樣的種子',
};

/** Commander's own words. */
export const ZH_CHROME = {
  titles: { 'Usage:': '用法：', 'Options:': '選項：', 'Commands:': '指令：', 'Arguments:': '引數：', 'Global Options:': '全域選項：' } as Readonly<Record<string, string>>,
  options: '[選項]',
  command: '[指令]',
  default: '預設',
  choices: '可用值',
  help: '顯示這個指令的說明',
  helpCommand: '顯示某個指令的說明',
} as const;

// commander's error sentences (lib/command.js) and their Chinese
const ERRORS: ReadonlyArray<readonly [RegExp, (...m: string[]) => string]> = [
  [/^error: unknown option '(.*)'$/, (o) => `錯誤：未知的選項 '${o}'`],
  [/^error: unknown command '(.*)'$/, (c) => `錯誤：未知的指令 '${c}'`],
  [/^error: missing required argument '(.*)'$/, (a) => `錯誤：缺少必要的引數 '${a}'`],
  [/^error: option '(.*)' argument missing$/, (o) => `錯誤：選項 '${o}' 缺少值`],
  [/^error: required option '(.*)' not specified$/, (o) => `錯誤：必須指定選項 '${o}'`],
  [/^error: too many arguments for '(.*)'\. Expected (\d+) arguments? but got (\d+)\.$/, (c, e, g) => `錯誤：'${c}' 的引數太多：應有 ${e} 個，卻收到 ${g} 個。`],
  [/^error: too many arguments\. Expected (\d+) arguments? but got (\d+)\.$/, (e, g) => `錯誤：引數太多：應有 ${e} 個，卻收到 ${g} 個。`],
  [/^error: option '(.*)' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/, (o, v, c) => `錯誤：選項 '${o}' 的值 '${v}' 無效。可用的值：${c.split(', ').join('、')}。`],
  [/^error: option '(.*)' argument '(.*)' is invalid\. (.*)$/, (o, v, why) => `錯誤：選項 '${o}' 的值 '${v}' 無效。${reasonZh(why)}`],
  [/^\(Did you mean one of (.*)\?\)$/, (s) => `（你是不是要用下列其中之一：${s.split(', ').join('、')}？）`],
  [/^\(Did you mean (.*)\?\)$/, (s) => `（你是不是要用 ${s}？）`],
];

// the reasons gradscope's own argument parsers give (cli/lang.ts)
function reasonZh(why: string): string {
  const m = /^expected (.*) \(or a locale naming one, such as (.*)\)$/.exec(why);
  return m ? `應為 ${m[1].split(' or ').join(' 或 ')}（或指明其中之一的地區設定，例如 ${m[2].split(' or ').join(' 或 ')}）。` : why;
}

/** `text` with a note in parentheses: inside its own closing parenthesis when it ends in one ("…（auto：…；預設 auto）"). */
export function zhNote(text: string, note: string): string {
  return text.endsWith('）') ? `${text.slice(0, -1)}；${note}）` : `${text}（${note}）`;
}

/** One of commander's error messages (one or more lines) in Chinese; a line it does not know stays as it is. */
export function commanderErrorZh(message: string): string {
  return message
    .split('\n')
    .map((line) => {
      for (const [re, zh] of ERRORS) {
        const m = re.exec(line);
        if (m) return zh(...m.slice(1));
      }
      return line;
    })
    .join('\n');
}
