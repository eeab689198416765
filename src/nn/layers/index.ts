// The layer classes of paddle.nn (python/paddle/nn/layer/*), one module per family.
export * from './common.js';
export { Conv1D, Conv2D, Conv3D, Conv1DTranspose, Conv2DTranspose, Conv3DTranspose } from './conv.js';
export { AvgPool1D, AvgPool2D, AvgPool3D, MaxPool1D, MaxPool2D, MaxPool3D, AdaptiveAvgPool1D, AdaptiveAvgPool2D, AdaptiveAvgPool3D, AdaptiveMaxPool1D, AdaptiveMaxPool2D, AdaptiveMaxPool3D } from './pooling.js';
export { Pad1D, Pad2D, Pad3D } from './pad.js';
export { Upsample, UpsamplingNearest2D, UpsamplingBilinear2D } from './upsample.js';
export { BatchNorm, BatchNorm1D, BatchNorm2D, BatchNorm3D, SyncBatchNorm, InstanceNorm1D, InstanceNorm2D, InstanceNorm3D, LayerNorm, GroupNorm, LocalResponseNorm, SpectralNorm } from './norm.js';
export { Dropout, Dropout2D, Dropout3D, AlphaDropout, Embedding, Bilinear, PixelShuffle, CosineSimilarity, PairwiseDistance } from './common_extra.js';
export { ELU, GELU, Hardshrink, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU, LogSigmoid, LogSoftmax, Maxout, PReLU, ReLU, ReLU6, SELU, Sigmoid, Softmax, Softplus, Softshrink, Softsign, Swish, Tanh, Tanhshrink, ThresholdedReLU } from './activation.js';
export { BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, SmoothL1Loss, KLDivLoss, MarginRankingLoss } from './loss.js';
export { RNNCellBase, SimpleRNNCell, LSTMCell, GRUCell, RNN, BiRNN, SimpleRNN, LSTM, GRU } from './rnn.js';
export { CTCLoss, HSigmoidLoss } from './loss_seq.js';
export { MultiHeadAttention, TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer, TransformerDecoder, Transformer } from './transformer.js';
