export { startIngress } from './start-ingress';
export { IngressEnv } from './config';
