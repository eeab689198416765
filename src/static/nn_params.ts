// Layers in static mode: a layer's parameter becomes a Parameter of the main program plus an
// initializing operator in the startup program (Paddle's LayerHelper.create_parameter).
import { parameterClasses } from '../nn/layer.js';
import { staticParameterHook } from '../nn/parameter.js';
import { Parameter } from './framework.js';
import { WeightNormParamAttr, weightNormParameter } from './weight_norm.js';
import { default_main_program, default_startup_program } from './mode.js';

staticParameterHook.create = (attr, shape, dtype) => {
  if (attr instanceof WeightNormParamAttr) return weightNormParameter(attr, shape, dtype);
  const kw = attr._to_kwargs();
  const name = kw.name!;
  const main = default_main_program().global_block();
  const existing = main.vars.get(name);
  if (existing instanceof Parameter) return existing;
  const param = main.create_parameter({
    name,
    shape,
    dtype,
    trainable: kw.trainable,
    learning_rate: kw.optimize_attr.learning_rate,
    regularizer: kw.regularizer,
    need_clip: kw.need_clip,
  });
  const startup = default_startup_program().global_block();
  const v = startup.create_parameter({ name, shape, dtype, trainable: kw.trainable });
  attr.initializer!(v, startup);
  return param;
};

parameterClasses.push(Parameter);
