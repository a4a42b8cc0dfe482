import type { Attributes, FindOptions, Model, ModelStatic } from 'sequelize';

/**
 * findAll with `raw: true`, typed as the plain rows it returns (Sequelize's typings still claim
 * model instances). Values come as the driver gives them; callers convert by column spec.
 */
export async function findRawRows<M extends Model>(
  model: ModelStatic<M>,
  options: FindOptions<Attributes<M>>,
): Promise<Attributes<M>[]> {
  const rows: unknown = await model.findAll({ ...options, raw: true });
  return rows as Attributes<M>[];
}

export async function findRawRow<M extends Model>(
  model: ModelStatic<M>,
  options: FindOptions<Attributes<M>>,
): Promise<Attributes<M> | null> {
  const [row] = await findRawRows(model, { ...options, limit: 1 });
  return row ?? null;
}
