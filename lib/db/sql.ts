// Raw SQL helpers for hot paths next to Prisma: a transaction on one pooled connection.
import type pg from "pg";

/** pg's query method: a pool or a checked-out client. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

/** Runs `body` in BEGIN … COMMIT on one connection; rolls back and rethrows on error. */
export async function withTransaction<T>(
  pool: pg.Pool,
  body: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await body(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch {
      broken = true; // a connection that cannot roll back is not handed to the next caller
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
