// Places (devices). paddle-ts computes on the CPU; the GPU places exist so scripts that
// name them construct, but asking to run on one fails clearly.
import { fail, UnavailableError } from './errors.js';

/** Host memory. `new paddle.CPUPlace()`. */
export class CPUPlace {
  toString(): string {
    return 'CPUPlace';
  }
  equals(o: unknown): boolean {
    return o instanceof CPUPlace;
  }
}
/** A CUDA device (constructible; paddle-ts has no GPU kernels). */
export class CUDAPlace {
  constructor(readonly device_id = 0) {}
  get_device_id(): number {
    return this.device_id;
  }
  toString(): string {
    return `CUDAPlace(${this.device_id})`;
  }
}
/** Page-locked host memory for CUDA transfers (constructible only). */
export class CUDAPinnedPlace {
  toString(): string {
    return 'CUDAPinnedPlace';
  }
}
/** A Baidu Kunlun XPU (constructible only). */
export class XPUPlace {
  constructor(readonly device_id = 0) {}
  toString(): string {
    return `XPUPlace(${this.device_id})`;
  }
}
export type Place = CPUPlace | CUDAPlace | CUDAPinnedPlace | XPUPlace;

export const CPU = new CPUPlace();

/** paddle.is_compiled_with_cuda(): false, there are no CUDA kernels. */
export function is_compiled_with_cuda(): boolean {
  return false;
}
/**
 * paddle.get_cudnn_version(): the cuDNN version as an int (7600 for 7.6), or null when Paddle
 * is not compiled with CUDA, which is always the case here.
 * @example paddle.get_cudnn_version()  // null
 */
export function get_cudnn_version(): number | null {
  return null;
}
/** paddle.is_compiled_with_xpu(): false. */
export function is_compiled_with_xpu(): boolean {
  return false;
}

let device = 'cpu';
/**
 * paddle.set_device(device): 'cpu' is the only device; 'gpu', 'gpu:0' or 'xpu' fail with an
 * UnavailableError, as Paddle does when it was not compiled with that device.
 * @example paddle.set_device('cpu')
 */
export function set_device(dev: string): CPUPlace {
  if (typeof dev !== 'string') fail('paddle.set_device', `argument 'device' expected a string such as 'cpu'`);
  const d = dev.toLowerCase();
  if (d === 'cpu') {
    device = 'cpu';
    return CPU;
  }
  if (/^(gpu|xpu)(:\d+)?$/.test(d))
    fail('paddle.set_device', `device '${dev}' is not available: paddle-ts is not compiled with CUDA or XPU, only 'cpu' is`, UnavailableError);
  return fail('paddle.set_device', `argument 'device' must be 'cpu', 'gpu', 'gpu:x' or 'xpu:x', but got '${dev}'`);
}
/** paddle.get_device(): 'cpu'. */
export function get_device(): string {
  return device;
}
