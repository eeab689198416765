// Portable kernels of the detection operators (src/ops/detection).
import './anchors.js';
import './box.js';
import './nms.js';
import './roi.js';
import './assign.js';
import './yolo.js';
