import { join } from 'node:path';
import { openStateBackend } from '../../../src/adapters/state/open-backend.ts';
import { describeInterleavedReconciles } from '../../contract/interleaved-reconciles.contract.ts';

describeInterleavedReconciles('file', (dir) =>
  openStateBackend({ backend: 'file', dir: join(dir, 'state') }, dir),
);
