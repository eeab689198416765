// The modules of src/tensor whose API functions may be Tensor methods.
import * as math from './math.js';

export const apiModules = { math } as const;
