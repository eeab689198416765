// paddle.static: building and running programs.
export { Program, Block, Variable, Parameter, Operator, OpRole } from './framework.js';
export { default_main_program, default_startup_program, program_guard, name_scope, device_guard } from './mode.js';
export { Executor, Scope, global_scope, scope_guard } from './executor.js';
export { append_backward, gradients } from './backward.js';
export { data, InputSpec } from './input.js';
export {
  serialize_program, serialize_persistables, deserialize_program, deserialize_persistables, save_to_file, load_from_file,
  save_inference_model, load_inference_model,
} from './io.js';
import './nn_params.js';
export { save, load, load_program_state, set_program_state } from './checkpoint.js';
export { CompiledProgram, BuildStrategy, ExecutionStrategy, ParallelExecutor, cpu_places, cuda_places } from './compiled.js';
export { create_global_var, create_parameter } from './globals.js';
export { py_func } from './py_func.js';
export { WeightNormParamAttr } from './weight_norm.js';
import './control_flow_exec.js';
