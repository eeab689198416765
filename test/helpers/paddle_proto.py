# An independent Python reader/writer of Paddle's files for cross-format tests: framework.proto's
# ProgramDesc messages built with protobuf's descriptor API (from the field numbers of Paddle's
# framework.proto), and the LoDTensor stream format written with struct and NumPy.
import struct
import numpy as np
from google.protobuf import descriptor_pb2, descriptor_pool

try:
    from google.protobuf.message_factory import GetMessageClass
except ImportError:  # protobuf < 4.22
    from google.protobuf import message_factory
    _factory = message_factory.MessageFactory()
    def GetMessageClass(d):
        return _factory.GetPrototype(d)

F = descriptor_pb2.FieldDescriptorProto
OPT, REQ, REP = F.LABEL_OPTIONAL, F.LABEL_REQUIRED, F.LABEL_REPEATED


def _msg(parent, name, fields):
    m = parent.add() if hasattr(parent, 'add') else parent
    m.name = name
    for fname, num, label, ftype, tname in fields:
        f = m.field.add()
        f.name, f.number, f.label, f.type = fname, num, label, ftype
        if tname:
            f.type_name = tname
    return m


def _build():
    fd = descriptor_pb2.FileDescriptorProto(name='paddle_framework_test.proto', package='pf', syntax='proto2')
    at = fd.enum_type.add(name='AttrType')
    for i, n in enumerate(['INT', 'FLOAT', 'STRING', 'INTS', 'FLOATS', 'STRINGS', 'BOOLEAN', 'BOOLEANS', 'BLOCK', 'LONG', 'BLOCKS', 'LONGS']):
        at.value.add(name=n, number=i)
    _msg(fd.message_type, 'Version', [('version', 1, OPT, F.TYPE_INT64, None)])
    op = _msg(fd.message_type, 'OpDesc', [
        ('type', 3, REQ, F.TYPE_STRING, None), ('inputs', 1, REP, F.TYPE_MESSAGE, '.pf.OpDesc.Var'),
        ('outputs', 2, REP, F.TYPE_MESSAGE, '.pf.OpDesc.Var'), ('attrs', 4, REP, F.TYPE_MESSAGE, '.pf.OpDesc.Attr'),
        ('is_target', 5, OPT, F.TYPE_BOOL, None)])
    _msg(op.nested_type, 'Attr', [
        ('name', 1, REQ, F.TYPE_STRING, None), ('type', 2, REQ, F.TYPE_ENUM, '.pf.AttrType'), ('i', 3, OPT, F.TYPE_INT32, None),
        ('f', 4, OPT, F.TYPE_FLOAT, None), ('s', 5, OPT, F.TYPE_STRING, None), ('ints', 6, REP, F.TYPE_INT32, None),
        ('floats', 7, REP, F.TYPE_FLOAT, None), ('strings', 8, REP, F.TYPE_STRING, None), ('b', 10, OPT, F.TYPE_BOOL, None),
        ('bools', 11, REP, F.TYPE_BOOL, None), ('block_idx', 12, OPT, F.TYPE_INT32, None), ('l', 13, OPT, F.TYPE_INT64, None),
        ('blocks_idx', 14, REP, F.TYPE_INT32, None), ('longs', 15, REP, F.TYPE_INT64, None)])
    _msg(op.nested_type, 'Var', [('parameter', 1, REQ, F.TYPE_STRING, None), ('arguments', 2, REP, F.TYPE_STRING, None)])
    vt = _msg(fd.message_type, 'VarType', [
        ('type', 1, REQ, F.TYPE_ENUM, '.pf.VarType.Type'), ('selected_rows', 2, OPT, F.TYPE_MESSAGE, '.pf.VarType.TensorDesc'),
        ('lod_tensor', 3, OPT, F.TYPE_MESSAGE, '.pf.VarType.LoDTensorDesc'),
        ('tensor_array', 4, OPT, F.TYPE_MESSAGE, '.pf.VarType.LoDTensorDesc')])
    t = vt.enum_type.add(name='Type')
    for n, v in [('BOOL', 0), ('INT16', 1), ('INT32', 2), ('INT64', 3), ('FP16', 4), ('FP32', 5), ('FP64', 6), ('LOD_TENSOR', 7),
                 ('SELECTED_ROWS', 8), ('FEED_MINIBATCH', 9), ('FETCH_LIST', 10), ('STEP_SCOPES', 11), ('LOD_RANK_TABLE', 12),
                 ('LOD_TENSOR_ARRAY', 13), ('PLACE_LIST', 14), ('READER', 15), ('RAW', 17), ('TUPLE', 18), ('SIZE_T', 19),
                 ('UINT8', 20), ('INT8', 21), ('BF16', 22), ('COMPLEX64', 23), ('COMPLEX128', 24)]:
        t.value.add(name=n, number=v)
    _msg(vt.nested_type, 'TensorDesc', [('data_type', 1, REQ, F.TYPE_ENUM, '.pf.VarType.Type'), ('dims', 2, REP, F.TYPE_INT64, None)])
    _msg(vt.nested_type, 'LoDTensorDesc', [('tensor', 1, REQ, F.TYPE_MESSAGE, '.pf.VarType.TensorDesc'), ('lod_level', 2, OPT, F.TYPE_INT32, None)])
    _msg(fd.message_type, 'VarDesc', [
        ('name', 1, REQ, F.TYPE_STRING, None), ('type', 2, REQ, F.TYPE_MESSAGE, '.pf.VarType'),
        ('persistable', 3, OPT, F.TYPE_BOOL, None), ('need_check_feed', 4, OPT, F.TYPE_BOOL, None)])
    _msg(fd.message_type, 'BlockDesc', [
        ('idx', 1, REQ, F.TYPE_INT32, None), ('parent_idx', 2, REQ, F.TYPE_INT32, None), ('vars', 3, REP, F.TYPE_MESSAGE, '.pf.VarDesc'),
        ('ops', 4, REP, F.TYPE_MESSAGE, '.pf.OpDesc'), ('forward_block_idx', 5, OPT, F.TYPE_INT32, None)])
    _msg(fd.message_type, 'ProgramDesc', [('blocks', 1, REP, F.TYPE_MESSAGE, '.pf.BlockDesc'), ('version', 4, OPT, F.TYPE_MESSAGE, '.pf.Version')])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fd)
    return GetMessageClass(pool.FindMessageTypeByName('pf.ProgramDesc')), GetMessageClass(pool.FindMessageTypeByName('pf.VarType.TensorDesc'))


ProgramDesc, TensorDesc = _build()
DTYPES = {5: np.float32, 6: np.float64, 3: np.int64, 2: np.int32, 0: np.bool_, 4: np.float16, 20: np.uint8, 21: np.int8, 1: np.int16}
CODES = {np.dtype(v): k for k, v in DTYPES.items()}


def read_tensor(buf, pos=0):
    """One LoDTensor from the stream at pos: (array, lod, new_pos)."""
    (version,) = struct.unpack_from('<I', buf, pos); pos += 4
    assert version == 0, version
    (levels,) = struct.unpack_from('<Q', buf, pos); pos += 8
    lod = []
    for _ in range(levels):
        (nbytes,) = struct.unpack_from('<Q', buf, pos); pos += 8
        lod.append(list(struct.unpack_from('<%dQ' % (nbytes // 8), buf, pos))); pos += nbytes
    (tv,) = struct.unpack_from('<I', buf, pos); pos += 4
    (dlen,) = struct.unpack_from('<i', buf, pos); pos += 4
    desc = TensorDesc(); desc.ParseFromString(bytes(buf[pos:pos + dlen])); pos += dlen
    dt = np.dtype(DTYPES[desc.data_type]).newbyteorder('<')
    n = int(np.prod(desc.dims)) if len(desc.dims) else 1
    arr = np.frombuffer(bytes(buf[pos:pos + n * dt.itemsize]), dtype=dt).reshape(list(desc.dims)); pos += n * dt.itemsize
    return arr, lod, pos


def write_tensor(arr, lod=()):
    arr = np.ascontiguousarray(arr)
    out = struct.pack('<IQ', 0, len(lod))
    for level in lod:
        out += struct.pack('<Q', 8 * len(level)) + struct.pack('<%dQ' % len(level), *level)
    desc = TensorDesc(data_type=CODES[arr.dtype], dims=list(arr.shape)).SerializeToString()
    return out + struct.pack('<Ii', 0, len(desc)) + desc + arr.astype(arr.dtype.newbyteorder('<')).tobytes()
