export { isPlainObject } from '../domain/common/json';
