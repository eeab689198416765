// paddle.metric (python/paddle/metric/__init__.py at 2.0).
export { Metric } from './metric.js';
export { Accuracy, accuracy } from './accuracy.js';
export { Precision, Recall } from './precision_recall.js';
export { Auc } from './auc.js';
