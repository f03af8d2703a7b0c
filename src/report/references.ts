/**
 * The works the study cites, as plain text (no links: the report loads
 * nothing from the network, and a citation is enough to find each one).
 */
import { t, type Lang, type Text } from '../i18n/lang.js';

/** One cited work. */
export interface Reference {
  readonly key: string;
  readonly text: string;
  /** What the study takes from it, or a caveat, in both languages (shown after the citation). */
  readonly note?: Text;
}

/** A reference as the report lists it in `lang`: the citation as published, then its note. */
export function referenceText(r: Reference, lang: Lang): string {
  if (!r.note) return r.text;
  return lang === 'en' ? `${r.text} (${r.note.en})` : `${r.text}（${r.note[lang]}）`;
}

/** The references listed at the foot of the report and in summary.md. */
export const REFERENCES: readonly Reference[] = [
  { key: 'Nielsen', text: 'Michael A. Nielsen. Neural Networks and Deep Learning, chapter 5: "Why are deep neural networks hard to train?". Determination Press, 2015 (neuralnetworksanddeeplearning.com).', note: t('Its accuracies are measured on the 10,000 images of its validation set.', '書中的準確率是在其驗證集的 10,000 張影像上量得的。') },
  { key: 'Glorot & Bengio 2010', text: 'Xavier Glorot and Yoshua Bengio. Understanding the difficulty of training deep feedforward neural networks. AISTATS 2010.' },
  { key: 'He et al. 2015', text: 'Kaiming He, Xiangyu Zhang, Shaoqing Ren and Jian Sun. Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification. ICCV 2015.' },
  { key: 'Klambauer et al. 2017', text: 'Günter Klambauer, Thomas Unterthiner, Andreas Mayr and Sepp Hochreiter. Self-Normalizing Neural Networks. NeurIPS 2017.' },
  { key: 'Hendrycks & Gimpel 2016', text: 'Dan Hendrycks and Kevin Gimpel. Gaussian Error Linear Units (GELUs). arXiv:1606.08415, 2016.' },
  { key: 'Ioffe & Szegedy 2015', text: 'Sergey Ioffe and Christian Szegedy. Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift. ICML 2015.' },
  { key: 'He et al. 2016', text: 'Kaiming He, Xiangyu Zhang, Shaoqing Ren and Jian Sun. Deep Residual Learning for Image Recognition. CVPR 2016.', note: t('Its degradation problem, the authors argue, is unlikely to be caused by vanishing gradients.', '作者認為其退化問題不太可能是梯度消失造成的。') },
  { key: 'He et al. 2016b', text: 'Kaiming He, Xiangyu Zhang, Shaoqing Ren and Jian Sun. Identity Mappings in Deep Residual Networks. ECCV 2016, arXiv:1603.05027.', note: t('With identity skips ∂x_L/∂x_l = I + ∂(Σ F)/∂x_l: the argument for residual connections keeping the gradient alive.', '使用恆等跳躍連接時 ∂x_L/∂x_l = I + ∂(Σ F)/∂x_l：殘差連接讓梯度存活的論證。') },
  { key: 'Ba et al. 2016', text: 'Jimmy Lei Ba, Jamie Ryan Kiros and Geoffrey E. Hinton. Layer Normalization. arXiv:1607.06450, 2016.' },
  { key: 'Srivastava et al. 2014', text: 'Nitish Srivastava, Geoffrey Hinton, Alex Krizhevsky, Ilya Sutskever and Ruslan Salakhutdinov. Dropout: A Simple Way to Prevent Neural Networks from Overfitting. JMLR 15:1929–1958, 2014.' },
  { key: 'Bengio et al. 2007', text: 'Yoshua Bengio, Pascal Lamblin, Dan Popovici and Hugo Larochelle. Greedy Layer-Wise Training of Deep Networks. NIPS 2006 (2007).' },
  { key: 'Kingma & Ba 2015', text: 'Diederik P. Kingma and Jimmy Ba. Adam: A Method for Stochastic Optimization. ICLR 2015.' },
  { key: 'Hochreiter & Schmidhuber 1997', text: 'Sepp Hochreiter and Jürgen Schmidhuber. Long Short-Term Memory. Neural Computation 9(8):1735–1780, 1997.' },
  { key: 'Gers et al. 2000', text: 'Felix A. Gers, Jürgen Schmidhuber and Fred Cummins. Learning to Forget: Continual Prediction with LSTM. Neural Computation 12(10):2451–2471, 2000.', note: t('The forget gate; the 1997 LSTM has none.', '遺忘閘；1997 年的 LSTM 沒有遺忘閘。') },
  { key: 'Cho et al. 2014', text: 'Kyunghyun Cho, Bart van Merriënboer, Caglar Gulcehre, Dzmitry Bahdanau, Fethi Bougares, Holger Schwenk and Yoshua Bengio. Learning Phrase Representations using RNN Encoder–Decoder for Statistical Machine Translation. EMNLP 2014.', note: t('The GRU.', 'GRU。') },
  { key: 'Pascanu et al. 2013', text: 'Razvan Pascanu, Tomas Mikolov and Yoshua Bengio. On the difficulty of training recurrent neural networks. ICML 2013.' },
  { key: 'Poole et al. 2016', text: 'Ben Poole, Subhaneil Lahiri, Maithra Raghu, Jascha Sohl-Dickstein and Surya Ganguli. Exponential expressivity in deep neural networks through transient chaos. NeurIPS 2016.' },
  { key: 'Schoenholz et al. 2017', text: 'Samuel S. Schoenholz, Justin Gilmer, Surya Ganguli and Jascha Sohl-Dickstein. Deep Information Propagation. ICLR 2017.' },
  { key: 'Pennington, Schoenholz & Ganguli 2017', text: 'Jeffrey Pennington, Samuel S. Schoenholz and Surya Ganguli. Resurrecting the sigmoid in deep learning through dynamical isometry: theory and practice. NeurIPS 2017.' },
  { key: 'Saxe et al. 2014', text: 'Andrew M. Saxe, James L. McClelland and Surya Ganguli. Exact solutions to the nonlinear dynamics of learning in deep linear neural networks. ICLR 2014.' },
  { key: 'Cho & Saul 2009', text: 'Youngmin Cho and Lawrence K. Saul. Kernel Methods for Deep Learning (the arc-cosine kernels). NIPS 2009.' },
];
