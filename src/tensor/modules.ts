// The modules of src/tensor whose API functions may be Tensor methods.
import * as math from './math.js';
import * as creation from './creation.js';
import * as reduction from './reduction.js';
import * as logic from './logic.js';
import * as manipulation from './manipulation.js';
import * as unary from './unary.js';
import * as linalg from './linalg.js';
import * as indexing from './indexing.js';
import * as linalg_extra from './linalg_extra.js';
import * as search from './search.js';
import * as stat from './stat.js';
import * as misc from './misc.js';
import * as dunder from './dunder.js';

export const apiModules = { math, creation, reduction, logic, manipulation, unary, linalg, indexing, linalg_extra, search, stat, misc, dunder } as const;
