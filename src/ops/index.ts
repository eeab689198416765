// Loads every operator family into the table (each file registers its operators).
import './elementwise.js';
import './scale.js';
import { autogradOps } from '../core/autograd.js';
import { add } from './calls.js';

autogradOps.add = (a, b) => add(a, b);
