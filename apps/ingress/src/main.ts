import { setFlagsFromString } from 'node:v8';
import { INGRESS_V8_FLAGS } from './v8-flags';

// Garbage-collection heuristics that keep resident memory low under load, set before the rest of
// the ingress loads so the heap limits computed while loading follow them (see INGRESS_V8_FLAGS).
for (const flag of INGRESS_V8_FLAGS) setFlagsFromString(flag);
void import('./run');
