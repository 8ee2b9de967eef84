// Versioned schema migrations, defined in code and run by Kysely's Migrator
// on every start (it takes a lock, so several `serve` processes may race).
// Never edit a released migration: add the next one.
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Engine } from './connect.js';
import { versionSortKey } from '../versions.js';

function migrations(engine: Engine): Record<string, Migration> {
  const autoId = engine === 'postgres' ? 'bigserial' : 'integer';
  return {
    '0001_initial': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('users')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();

        // Hawk replay store, shared by every replica; pruned after the skew window.
        await db.schema
          .createTable('nonces')
          .addColumn('user_name', 'text', (c) => c.notNull())
          .addColumn('nonce', 'text', (c) => c.notNull())
          .addColumn('ts', 'bigint', (c) => c.notNull())
          .addColumn('seen_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('nonces_pk', ['user_name', 'nonce', 'ts'])
          .execute();
        await db.schema.createIndex('nonces_seen_at').on('nonces').column('seen_at').execute();

        await db.schema
          .createTable('apps')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('channels')
          .addColumn('app_id', 'text', (c) => c.notNull())
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('publish', 'integer', (c) => c.notNull())
          .addColumn('upstream', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('channels_pk', ['app_id', 'label'])
          .execute();

        await db.schema
          .createTable('packages')
          .addColumn('app_id', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('sha1_sum', 'text', (c) => c.notNull())
          .addColumn('sha256_sum', 'text', (c) => c.notNull())
          .addColumn('metadata_signature_rsa', 'text', (c) => c.notNull())
          .addColumn('metadata_size', 'text', (c) => c.notNull())
          .addColumn('release_notes', 'text', (c) => c.notNull())
          .addColumn('required', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('packages_pk', ['app_id', 'version'])
          .execute();

        await db.schema
          .createTable('groups')
          .addColumn('app_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('channel_id', 'text', (c) => c.notNull())
          .addColumn('oem_blacklist', 'text', (c) => c.notNull())
          .addColumn('updates_paused', 'integer', (c) => c.notNull())
          .addColumn('update_percent', 'double precision', (c) => c.notNull())
          .addColumn('update_count', 'integer', (c) => c.notNull())
          .addColumn('update_interval', 'integer', (c) => c.notNull())
          .addColumn('update_pooling', 'integer', (c) => c.notNull())
          .addColumn('rollout_active', 'integer', (c) => c.notNull())
          .addColumn('rollout_started_at', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('groups_pk', ['app_id', 'id'])
          .execute();

        await db.schema
          .createTable('rollout_frames')
          .addColumn('app_id', 'text', (c) => c.notNull())
          .addColumn('group_id', 'text', (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('percent', 'double precision', (c) => c.notNull())
          .addColumn('duration', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('rollout_frames_pk', ['app_id', 'group_id', 'position'])
          .execute();

        await db.schema
          .createTable('upstreams')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('instances')
          .addColumn('app_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('group_id', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('oem', 'text', (c) => c.notNull())
          .addColumn('ip', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('error_code', 'integer')
          .addColumn('last_event_type', 'integer')
          .addColumn('last_event_result', 'integer')
          .addColumn('granted_version', 'text')
          .addColumn('granted_at', 'bigint')
          .addColumn('last_seen', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('instances_pk', ['app_id', 'id'])
          .execute();
        // appversions / clientupdates / the group's version mix.
        await db.schema.createIndex('instances_group_version').on('instances').columns(['app_id', 'group_id', 'version']).execute();
        await db.schema.createIndex('instances_group_seen').on('instances').columns(['app_id', 'group_id', 'last_seen']).execute();
        await db.schema.createIndex('instances_seen').on('instances').column('last_seen').execute();
        await db.schema.createIndex('instances_machine').on('instances').column('id').execute();
        // Rate limit: grants in a group within the last interval.
        await db.schema.createIndex('instances_group_granted').on('instances').columns(['app_id', 'group_id', 'granted_at']).execute();

        await db.schema
          .createTable('events')
          .addColumn('id', autoId, (c) => c.primaryKey())
          .addColumn('app_id', 'text', (c) => c.notNull())
          .addColumn('group_id', 'text', (c) => c.notNull())
          .addColumn('instance_id', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('previous_version', 'text', (c) => c.notNull())
          .addColumn('event_type', 'integer', (c) => c.notNull())
          .addColumn('event_result', 'integer', (c) => c.notNull())
          .addColumn('error_code', 'integer')
          .addColumn('install_source', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        // Covering index for both rollups (versions and events) over a time range:
        // the scan never touches the table, which matters at 10M events.
        await db.schema
          .createIndex('events_rollup')
          .on('events')
          .columns(['app_id', 'group_id', 'created_at', 'version', 'event_type', 'event_result', 'instance_id'])
          .execute();
        await db.schema.createIndex('events_instance').on('events').columns(['instance_id', 'created_at']).execute();
      },
    },
    // The Omaha engine: a grant log (rate limits count it under a lock on the
    // group row), pre-aggregated rollups (exact at 60, 3600 and 86400 s), a
    // catalog generation that triggers bump whenever apps, channels, packages,
    // groups or frames change (replicas' caches compare it), and indexes for
    // retention pruning.
    '0002_omaha': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('grants')
          .addColumn('id', autoId, (c) => c.primaryKey())
          .addColumn('app_id', 'text', (c) => c.notNull())
          .addColumn('group_id', 'text', (c) => c.notNull())
          .addColumn('instance_id', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('granted_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('grants_window').on('grants').columns(['app_id', 'group_id', 'granted_at']).execute();
        await db.schema.createIndex('grants_at').on('grants').column('granted_at').execute();

        await db.schema
          .createTable('rollup_versions')
          .addColumn('app_id', 'text', (c) => c.notNull())
          .addColumn('group_id', 'text', (c) => c.notNull())
          .addColumn('resolution', 'integer', (c) => c.notNull())
          .addColumn('bucket', 'bigint', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('count', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('rollup_versions_pk', ['app_id', 'group_id', 'resolution', 'bucket', 'version'])
          .execute();
        await db.schema
          .createTable('rollup_events')
          .addColumn('app_id', 'text', (c) => c.notNull())
          .addColumn('group_id', 'text', (c) => c.notNull())
          .addColumn('resolution', 'integer', (c) => c.notNull())
          .addColumn('bucket', 'bigint', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('event_type', 'integer', (c) => c.notNull())
          .addColumn('event_result', 'integer', (c) => c.notNull())
          .addColumn('count', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('rollup_events_pk', ['app_id', 'group_id', 'resolution', 'bucket', 'version', 'event_type', 'event_result'])
          .execute();
        await db.schema.createIndex('rollup_versions_bucket').on('rollup_versions').column('bucket').execute();
        await db.schema.createIndex('rollup_events_bucket').on('rollup_events').column('bucket').execute();
        await db.schema.createIndex('events_created').on('events').column('created_at').execute();
        // Rollups read the counters now, and rate limits the grant log: these
        // indexes only cost writes on the hot path.
        await db.schema.dropIndex('events_rollup').execute();
        await db.schema.dropIndex('instances_group_granted').execute();

        await db.schema
          .createTable('catalog_generation')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('n', 'bigint', (c) => c.notNull())
          .execute();
        await db.insertInto('catalog_generation').values({ id: 1, n: 0 }).execute();

        const tables = ['apps', 'channels', 'packages', 'groups', 'rollout_frames'];
        if (engine === 'postgres') {
          await sql`CREATE FUNCTION bump_catalog_generation() RETURNS trigger AS $$
            BEGIN UPDATE catalog_generation SET n = n + 1 WHERE id = 1; RETURN NULL; END;
            $$ LANGUAGE plpgsql`.execute(db);
          for (const t of tables) {
            await sql
              .raw(`CREATE TRIGGER ${t}_catalog_generation AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_generation()`)
              .execute(db);
          }
        } else {
          for (const t of tables) {
            for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
              await sql
                .raw(`CREATE TRIGGER ${t}_catalog_generation_${op.toLowerCase()} AFTER ${op} ON ${t} BEGIN UPDATE catalog_generation SET n = n + 1 WHERE id = 1; END`)
                .execute(db);
            }
          }
        }
      },
    },
    // Roles: what a user may do (admin, editor, viewer) and the apps an
    // editor or viewer is limited to (a JSON array; [] = every app). Users
    // that existed before roles keep doing everything: they become admins.
    '0003_roles': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('users').addColumn('role', 'text', (c) => c.notNull().defaultTo('admin')).execute();
        await db.schema.alterTable('users').addColumn('apps', 'text', (c) => c.notNull().defaultTo('[]')).execute();
      },
    },
    // Packages sorted and paged in the database, newest version first: a key
    // whose byte order is the version order, filled in for existing rows.
    '0004_package_order': {
      async up(db: Kysely<any>) {
        await db.schema
          .alterTable('packages')
          .addColumn('sort_key', 'text', (c) => {
            const col = c.notNull().defaultTo('');
            return engine === 'postgres' ? col.modifyFront(sql`COLLATE "C"`) : col;
          })
          .execute();
        const rows = await db.selectFrom('packages').select(['app_id', 'version']).execute();
        for (const r of rows) {
          await db.updateTable('packages').set({ sort_key: versionSortKey(r.version) }).where('app_id', '=', r.app_id).where('version', '=', r.version).execute();
        }
        await db.schema.createIndex('packages_order').on('packages').columns(['app_id', 'sort_key', 'version']).execute();
      },
    },
  };
}

export function migrationProvider(engine: Engine): MigrationProvider {
  return { getMigrations: async () => migrations(engine) };
}
