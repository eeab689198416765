// The detection operators of Paddle 2.0's fluid.layers (each file registers its family).
import './anchors.js';
import './box.js';
import './nms.js';
import './roi.js';
import './assign.js';
import './yolo.js';
