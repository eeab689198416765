// paddle.errors: the error classes users catch (instances of Error).
export {
  PaddleError, InvalidArgumentError, NotFoundError, OutOfRangeError, AlreadyExistsError, ResourceExhaustedError,
  PreconditionNotMetError, PermissionDeniedError, ExecutionTimeoutError, UnimplementedError, UnavailableError,
  FatalError, ExternalError,
} from './core/errors.js';
