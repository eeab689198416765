# The Gloo binding of paddle.distributed (src/distributed/csrc) -> build/Release/paddle_gloo.node.
# Built by `node-gyp rebuild --directory src/distributed` (src/distributed/build.mjs, run by the
# package's install script after the native backend). Needs Debian's libgloo-dev.
{
  'targets': [
    {
      'target_name': 'paddle_gloo',
      'sources': ['csrc/gloo_binding.cc'],
      'include_dirs': ["<!(node -p \"require('node-addon-api').include_dir\")"],
      'defines': ['NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS'],
      'cflags!': ['-fno-exceptions'],
      'cflags_cc!': ['-fno-exceptions', '-fno-rtti'],
      'cflags_cc': ['-std=c++17', '-O2', '-fexceptions'],
      'libraries': ['-lgloo', '-lpthread'],
    },
  ],
}
