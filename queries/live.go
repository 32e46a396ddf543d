package queries

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"landwatch/warehouse"
)

// The live views are the intermediate models materialized as views (int_cases_now, int_clues_now,
// int_case_stages_now, int_meters_now, int_cutoffs_now, int_restoration_now, int_tip_triage): what
// stands now, read live by the forms, lists and sweeps of today. They need no models run, so every
// read-write open of a warehouse makes sure they exist (warehouse.AfterOpen): a warehouse no models
// run has built yet, or one an older binary last built, has them at once, not from its next run.
func init() { warehouse.AfterOpen(EnsureLive) }

// liveModels are the live views and every model they read, in build order.
var liveModels = sync.OnceValues(func() ([]*Model, error) {
	models, err := Models()
	if err != nil {
		return nil, err
	}
	byName := map[string]*Model{}
	for _, m := range models {
		byName[m.Name] = m
	}
	need := map[string]bool{}
	var walk func(m *Model)
	walk = func(m *Model) {
		if need[m.Name] {
			return
		}
		need[m.Name] = true
		for _, d := range m.Deps {
			walk(byName[d])
		}
	}
	for _, m := range models {
		if m.Layer == "intermediate" && m.Materialized == "view" {
			walk(m)
		}
	}
	var out []*Model
	for _, m := range models { // Models is in build order already
		if need[m.Name] {
			out = append(out, m)
		}
	}
	return out, nil
})

// LiveViews names the live views (the intermediate models materialized as views), in build order.
func LiveViews() ([]string, error) {
	models, err := liveModels()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range models {
		if m.Layer == "intermediate" && m.Materialized == "view" {
			out = append(out, m.Name)
		}
	}
	return out, nil
}

// EnsureLive creates the live views when one is missing, with the macros and the models they read:
// the views as the next models run would write them, a table only when the warehouse has none of
// that name (stg_config__parameters, empty before the first run: a case's portal updates then all
// count from int_cases_now). A warehouse that has them all is left as it is; a read-only one too.
func EnsureLive(ctx context.Context, db *warehouse.DB) error {
	if db.ReadOnly {
		return nil
	}
	models, err := liveModels()
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(tx *sql.Tx) error {
		kinds := map[string]string{}
		err := warehouse.EachRow(ctx, tx, `SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = current_schema()`, nil,
			func(rows *sql.Rows) error {
				var name, kind string
				if err := rows.Scan(&name, &kind); err != nil {
					return err
				}
				kinds[name] = kind
				return nil
			})
		if err != nil {
			return fmt.Errorf("read the warehouse's tables: %w", err)
		}
		missing := false
		for _, m := range models {
			missing = missing || (m.Materialized == "view" && kinds[m.Name] != "VIEW")
		}
		if !missing {
			return nil
		}
		mac, err := macros()
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, mac); err != nil {
			return fmt.Errorf("macros.sql: %w", err)
		}
		for _, m := range models {
			if m.Materialized == "table" && kinds[m.Name] == "BASE TABLE" {
				continue
			}
			if _, err := build(ctx, tx, m, false, kinds[m.Name]); err != nil {
				return fmt.Errorf("live views: %w", err)
			}
		}
		return nil
	})
}
