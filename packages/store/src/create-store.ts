import { createDb, type Db } from './db';
import { createSecretBox, type SecretBox } from './secret-box';
import { createIntegrationsRepo } from './integrations.repo';
import { createOrganizationsRepo } from './organizations.repo';
import { createEventsRepo } from './events.repo';
import { createDialogsRepo } from './dialogs.repo';
import { createDialogHolderRepo } from './dialog-holder.repo';
import { createDecisionsRepo } from './decisions.repo';
import { createLedgerRepo } from './ledger.repo';
import { createTurnStateRepo } from './turn-state.repo';
import { createKbRepo } from './kb.repo';
import { createKbEmbeddingsRepo } from './kb-embeddings.repo';
import { createRedriveRepo } from './redrive.repo';
import { createRetentionRepo } from './retention.repo';

/** Every repository over one pool. */
export type Store = ReturnType<typeof createStoreFromDb>;

/** Stands in when a process has no SECRETS_KEY: it can run the pipeline but never touch an API key. */
const NO_KEY_BOX: SecretBox = {
  seal() {
    throw new Error('SECRETS_KEY is not configured in this process');
  },
  open() {
    throw new Error('SECRETS_KEY is not configured in this process');
  },
};

function createStoreFromDb(db: Db, secretsKey: Buffer | undefined, previousSecretsKey: Buffer | undefined) {
  const box = secretsKey ? createSecretBox(secretsKey, previousSecretsKey) : NO_KEY_BOX;
  return {
    db,
    integrations: createIntegrationsRepo(db, box),
    organizations: createOrganizationsRepo(db),
    events: createEventsRepo(db),
    dialogs: createDialogsRepo(db),
    dialogHolder: createDialogHolderRepo(db),
    decisions: createDecisionsRepo(db),
    ledger: createLedgerRepo(db),
    turnState: createTurnStateRepo(db),
    kb: createKbRepo(db),
    kbEmbeddings: createKbEmbeddingsRepo(db),
    redrive: createRedriveRepo(db),
    retention: createRetentionRepo(db),
    close: () => db.close(),
  };
}

/** Opens the store: a pool and the repositories over it. */
export function createStore(options: {
  url: string;
  secretsKey?: Buffer;
  /** The key being rotated away from (`SECRETS_KEY_PREVIOUS`): what it sealed still opens. */
  previousSecretsKey?: Buffer;
  poolSize?: number;
  applicationName?: string;
  countQueries?: boolean;
  /** Named prepared statements (see `DbOptions.preparedStatements`); default true. */
  preparedStatements?: boolean;
}): Store {
  return createStoreFromDb(createDb(options), options.secretsKey, options.previousSecretsKey);
}
