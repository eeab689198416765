// paddle.vision.datasets (python/paddle/vision/datasets/__init__.py at 2.0): the names of its
// __all__, and its submodules (`paddle.vision.datasets.folder.default_loader`, ...).
export { DatasetFolder, ImageFolder } from './folder.js';
export { MNIST, FashionMNIST } from './mnist.js';
export { Flowers } from './flowers.js';
export { Cifar10, Cifar100 } from './cifar.js';
export { VOC2012 } from './voc2012.js';
export * as folder from './folder.js';
export * as mnist from './mnist.js';
export * as flowers from './flowers.js';
export * as cifar from './cifar.js';
export * as voc2012 from './voc2012.js';
