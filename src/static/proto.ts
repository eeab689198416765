// framework.proto's messages (Paddle 2.0: ProgramDesc, BlockDesc, VarDesc, OpDesc, VarType),
// written from the message and field-number facts of Paddle's file, for protobufjs.
import protobuf from 'protobufjs/light.js';

const opt = (type: string, id: number, extra: object = {}) => ({ type, id, ...extra });
const rep = (type: string, id: number) => ({ type, id, rule: 'repeated' });
const req = (type: string, id: number) => ({ type, id, rule: 'required' });

const schema = {
  nested: {
    paddle: {
      nested: {
        framework: {
          nested: {
            proto: {
              nested: {
                Version: { fields: { version: opt('int64', 1, { options: { default: 0 } }) } },
                AttrType: {
                  values: {
                    INT: 0, FLOAT: 1, STRING: 2, INTS: 3, FLOATS: 4, STRINGS: 5, BOOLEAN: 6, BOOLEANS: 7,
                    BLOCK: 8, LONG: 9, BLOCKS: 10, LONGS: 11, FLOAT64S: 12, VAR: 13, VARS: 14, FLOAT64: 15,
                  },
                },
                OpDesc: {
                  fields: {
                    type: req('string', 3),
                    inputs: rep('Var', 1),
                    outputs: rep('Var', 2),
                    attrs: rep('Attr', 4),
                    is_target: opt('bool', 5),
                  },
                  nested: {
                    Attr: {
                      fields: {
                        name: req('string', 1),
                        type: req('AttrType', 2),
                        i: opt('int32', 3),
                        f: opt('float', 4),
                        s: opt('string', 5),
                        ints: rep('int32', 6),
                        floats: rep('float', 7),
                        strings: rep('string', 8),
                        b: opt('bool', 10),
                        bools: rep('bool', 11),
                        block_idx: opt('int32', 12),
                        l: opt('int64', 13),
                        blocks_idx: rep('int32', 14),
                        longs: rep('int64', 15),
                        float64s: rep('double', 16),
                        var_name: opt('string', 17),
                        vars_name: rep('string', 18),
                        float64: opt('double', 19),
                      },
                    },
                    Var: { fields: { parameter: req('string', 1), arguments: rep('string', 2) } },
                  },
                },
                VarType: {
                  fields: {
                    type: req('Type', 1),
                    selected_rows: opt('TensorDesc', 2),
                    lod_tensor: opt('LoDTensorDesc', 3),
                    tensor_array: opt('LoDTensorArrayDesc', 4),
                    reader: opt('ReaderDesc', 5),
                    tuple: opt('Tuple', 7),
                  },
                  nested: {
                    Type: {
                      values: {
                        BOOL: 0, INT16: 1, INT32: 2, INT64: 3, FP16: 4, FP32: 5, FP64: 6, SIZE_T: 19, UINT8: 20, INT8: 21,
                        BF16: 22, COMPLEX64: 23, COMPLEX128: 24, LOD_TENSOR: 7, SELECTED_ROWS: 8, FEED_MINIBATCH: 9,
                        FETCH_LIST: 10, STEP_SCOPES: 11, LOD_RANK_TABLE: 12, LOD_TENSOR_ARRAY: 13, PLACE_LIST: 14,
                        READER: 15, RAW: 17, TUPLE: 18,
                      },
                    },
                    TensorDesc: { fields: { data_type: req('Type', 1), dims: rep('int64', 2) } },
                    LoDTensorDesc: { fields: { tensor: req('TensorDesc', 1), lod_level: opt('int32', 2) } },
                    LoDTensorArrayDesc: { fields: { tensor: req('TensorDesc', 1), lod_level: opt('int32', 2) } },
                    ReaderDesc: { fields: { lod_tensor: rep('LoDTensorDesc', 1) } },
                    Tuple: { fields: { element_type: rep('Type', 1) } },
                  },
                },
                VarDesc: {
                  fields: {
                    name: req('string', 1),
                    type: req('VarType', 2),
                    persistable: opt('bool', 3),
                    need_check_feed: opt('bool', 4),
                    is_parameter: opt('bool', 5),
                    stop_gradient: opt('bool', 6),
                  },
                },
                BlockDesc: {
                  fields: {
                    idx: req('int32', 1),
                    parent_idx: req('int32', 2),
                    vars: rep('VarDesc', 3),
                    ops: rep('OpDesc', 4),
                    forward_block_idx: opt('int32', 5, { options: { default: -1 } }),
                  },
                },
                OpVersion: { fields: { version: req('int32', 1) } },
                OpVersionMap: {
                  fields: { pair: rep('OpVersionPair', 1) },
                  nested: { OpVersionPair: { fields: { op_name: req('string', 1), op_version: req('OpVersion', 2) } } },
                },
                ProgramDesc: {
                  fields: {
                    blocks: rep('BlockDesc', 1),
                    version: opt('Version', 4),
                    op_version_map: opt('OpVersionMap', 5),
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(schema as protobuf.INamespace);
export const ProgramDescMsg = root.lookupType('paddle.framework.proto.ProgramDesc');
export const TensorDescMsg = root.lookupType('paddle.framework.proto.VarType.TensorDesc');
export const AttrTypeEnum = root.lookupEnum('paddle.framework.proto.AttrType').values as Record<string, number>;
export const VarTypeEnum = root.lookupEnum('paddle.framework.proto.VarType.Type').values as Record<string, number>;

// Plain shapes of the decoded messages (what toObject gives with longs as numbers).
export interface AttrDesc {
  name: string; type: number; i?: number; f?: number; s?: string; ints?: number[]; floats?: number[]; strings?: string[];
  b?: boolean; bools?: boolean[]; block_idx?: number; l?: number; blocks_idx?: number[]; longs?: number[]; float64s?: number[];
  var_name?: string; vars_name?: string[]; float64?: number;
}
export interface OpDescMsg { type: string; inputs?: { parameter: string; arguments?: string[] }[]; outputs?: { parameter: string; arguments?: string[] }[]; attrs?: AttrDesc[]; is_target?: boolean }
export interface TensorDescMsg { data_type: number; dims?: number[] }
export interface VarDescMsg {
  name: string;
  type: { type: number; selected_rows?: TensorDescMsg; lod_tensor?: { tensor: TensorDescMsg; lod_level?: number }; tensor_array?: { tensor: TensorDescMsg; lod_level?: number } };
  persistable?: boolean; need_check_feed?: boolean; is_parameter?: boolean; stop_gradient?: boolean;
}
export interface BlockDescMsg { idx: number; parent_idx: number; vars?: VarDescMsg[]; ops?: OpDescMsg[]; forward_block_idx?: number }
export interface ProgramDescObj { blocks: BlockDescMsg[]; version?: { version?: number }; op_version_map?: { pair?: { op_name: string; op_version: { version: number } }[] } }
