# The native backend (src/backends/native): one addon, paddle_native.node. The kernels that
# use wide vectors are compiled once per instruction set into static libraries with their
# own -m flags (x86-64 only); the addon picks one at run time, so one build runs on any
# x86-64 CPU. Other architectures build the portable kernels only.
{
  'variables': {
    'pt_csrc': 'src/backends/native/csrc',
    'pt_cflags': ['-O3', '-fPIC', '-fvisibility=hidden', '-fopenmp-simd', '-fno-math-errno', '-fno-tree-loop-distribute-patterns', '-Wno-unused-function', '-Wno-unknown-pragmas', '-Wno-maybe-uninitialized'],
  },
  'targets': [
    {
      'target_name': 'paddle_native',
      'sources': [
        '<(pt_csrc)/addon.cc',
        '<(pt_csrc)/isa.cc',
        '<(pt_csrc)/isa_generic.cc',
        '<(pt_csrc)/threadpool.cc',
        '<(pt_csrc)/conv.cc',
        '<(pt_csrc)/pool.cc',
        '<(pt_csrc)/elementwise.cc',
        '<(pt_csrc)/elementwise_generic.cc',
      ],
      'include_dirs': ["<!(node -p \"require('node-addon-api').include_dir\")"],
      'defines': ['NAPI_VERSION=8', 'NAPI_DISABLE_CPP_EXCEPTIONS'],
      'cflags': ['<@(pt_cflags)'],
      'cflags_cc': ['-std=c++17'],
      'xcode_settings': {'OTHER_CPLUSPLUSFLAGS': ['-std=c++17', '-O3', '-fopenmp-simd'], 'GCC_SYMBOLS_PRIVATE_EXTERN': 'YES'},
      'conditions': [
        ['target_arch=="x64"', {
          'defines': ['PT_X86'],
          'dependencies': ['pt_avx512', 'pt_avx2'],
        }],
      ],
    },
  ],
  'conditions': [
    ['target_arch=="x64"', {
      'targets': [
        {
          'target_name': 'pt_avx512',
          'type': 'static_library',
          'sources': ['<(pt_csrc)/isa_avx512.cc', '<(pt_csrc)/elementwise_avx512.cc'],
          'defines': ['PT_X86'],
          'cflags': ['<@(pt_cflags)', '-mavx512f', '-mavx512bw', '-mavx512dq', '-mavx512vl', '-mfma', '-mavx2'],
          'cflags_cc': ['-std=c++17'],
          'xcode_settings': {'OTHER_CPLUSPLUSFLAGS': ['-std=c++17', '-O3', '-mavx512f', '-mavx512bw', '-mavx512dq', '-mavx512vl', '-mfma']},
        },
        {
          'target_name': 'pt_avx2',
          'type': 'static_library',
          'sources': ['<(pt_csrc)/isa_avx2.cc', '<(pt_csrc)/elementwise_avx2.cc'],
          'defines': ['PT_X86'],
          'cflags': ['<@(pt_cflags)', '-mavx2', '-mfma'],
          'cflags_cc': ['-std=c++17'],
          'xcode_settings': {'OTHER_CPLUSPLUSFLAGS': ['-std=c++17', '-O3', '-mavx2', '-mfma']},
        },
      ],
    }],
  ],
}
