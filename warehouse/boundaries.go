package warehouse

import (
	"context"
	"database/sql"
	"fmt"

	"landwatch/campaign"
)

// SetBoundaries replaces the township boundaries (dim_township_boundaries) with bs, in one
// transaction. Check them first with campaign.LoadBoundaries.
func (db *DB) SetBoundaries(ctx context.Context, bs []campaign.Boundary) error {
	err := db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM dim_township_boundaries`); err != nil {
			return err
		}
		for _, b := range bs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO dim_township_boundaries VALUES (?, ?, ?, ?, ?)`,
				b.Township, string(b.GeoJSON), b.AreaKm2, b.Lon, b.Lat); err != nil {
				return fmt.Errorf("township %s: %w", b.Township, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store township boundaries: %w", err)
	}
	return nil
}

// Boundaries returns the stored township boundaries in the configured township order (townships
// no longer configured last, by name).
func (db *DB) Boundaries(ctx context.Context) ([]campaign.Boundary, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT b.township, b.geojson, b.area_km2, b.lon, b.lat
		FROM dim_township_boundaries b LEFT JOIN dim_townships t USING (township)
		ORDER BY t.sort_order NULLS LAST, b.township`)
	if err != nil {
		return nil, fmt.Errorf("read township boundaries: %w", err)
	}
	defer rows.Close()
	var out []campaign.Boundary
	for rows.Next() {
		var b campaign.Boundary
		var js string
		if err := rows.Scan(&b.Township, &js, &b.AreaKm2, &b.Lon, &b.Lat); err != nil {
			return nil, fmt.Errorf("read township boundaries: %w", err)
		}
		b.GeoJSON = []byte(js)
		out = append(out, b)
	}
	return out, rows.Err()
}
