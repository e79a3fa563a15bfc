// The one free-port helper lives with the backend's local database launcher; the test
// stacks and benchmarks import it from here.
export { freePort } from '../server/infra/freePort.js';
