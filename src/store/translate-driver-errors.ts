import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import type { LoomError } from '../errors/index.js';

/** Maps whatever a database driver throws to a LoomError. */
export type DriverErrorClassifier = (error: unknown) => LoomError;

/**
 * Wraps a Kysely dialect so that every error raised by its driver (connecting, querying,
 * transactions) reaches callers as a LoomError. Translating at the driver, not around repository
 * calls, is what lets the classifier assume "it came from the database" and never look at messages.
 */
export function translateDriverErrors(dialect: Dialect, classify: DriverErrorClassifier): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => new TranslatingDriver(dialect.createDriver(), classify),
  };
}

class TranslatingDriver implements Driver {
  /** Our wrapper → the driver's own connection, which the driver needs back (e.g. to release it). */
  readonly #inner = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    private readonly driver: Driver,
    private readonly classify: DriverErrorClassifier,
  ) {}

  init(): Promise<void> {
    return this.#guard(() => this.driver.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#guard(() => this.driver.acquireConnection());
    const wrapper: DatabaseConnection = {
      executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> =>
        this.#guard(() => connection.executeQuery<R>(query)),
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> =>
        this.#guardStream(connection.streamQuery<R>(query, chunkSize)),
    };
    this.#inner.set(wrapper, connection);
    return wrapper;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#guard(() => this.driver.beginTransaction(this.#unwrap(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#guard(() => this.driver.commitTransaction(this.#unwrap(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#guard(() => this.driver.rollbackTransaction(this.#unwrap(connection)));
  }

  savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.#savepointCommand('savepoint', connection, name, compile);
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.#savepointCommand('rollbackToSavepoint', connection, name, compile);
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.#savepointCommand('releaseSavepoint', connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(this.#unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }

  #unwrap(connection: DatabaseConnection): DatabaseConnection {
    return this.#inner.get(connection) ?? connection;
  }

  #savepointCommand(
    command: 'savepoint' | 'rollbackToSavepoint' | 'releaseSavepoint',
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.#guard(async () => {
      const method = this.driver[command];
      if (method === undefined) throw new TypeError(`the database driver does not support ${command}`);
      await method.call(this.driver, this.#unwrap(connection), name, compile);
    });
  }

  async #guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw this.classify(error);
    }
  }

  async *#guardStream<R>(
    stream: AsyncIterableIterator<QueryResult<R>>,
  ): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* stream;
    } catch (error) {
      throw this.classify(error);
    }
  }
}
