// Loads the portable kernels (each file registers its kernels on the 'js' backend).
import './elementwise.js';
import './scale.js';
