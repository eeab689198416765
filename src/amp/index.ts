// paddle.amp (python/paddle/amp/__init__.py at 2.0): auto_cast and GradScaler.
export { auto_cast } from './auto_cast.js';
export { GradScaler } from './grad_scaler.js';
