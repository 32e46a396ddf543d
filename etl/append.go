package etl

import "landwatch/etl/batch"

// writeRows writes rows with the appender when it can take them, else with INSERT statements.
func (c *loadCache) writeRows(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if c.conn != nil {
		if ok, err := batch.AppendRows(c.ctx, c.conn, table, cols, rows); ok || err != nil {
			return err
		}
	}
	return batch.InsertRows(c.ctx, c.tx, table, cols, rows)
}
