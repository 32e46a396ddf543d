package queries

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// A table model whose header says "-- reuse: unchanged" is kept as it is by a models run when
// nothing it is computed from changed since the run that built it. What it is computed from is
// fingerprinted (SHA-256) in the run's transaction, after the models it reads are built:
//   - macros.sql, and the SQL of the model and of every model it reads, directly or through others;
//   - the contents of every warehouse table or view those SQL texts name that is not a model (the
//     names are found in the SQL itself, not in a list: a table the models read is never missed),
//     as its row count and the sum of its rows' hashes;
//   - of run_parameters only as_of: the run's id and start differ in every run, so a model to be
//     kept must not read them, and Models refuses "reuse" on a model that, or a model it reads
//     (other than stg_config__parameters, which carries them as columns), names run_id or
//     started_at, or calls a function whose result changes from run to run (now(), random() …).
// The fingerprint and the table's rows are stored in model_fingerprints; when the fingerprint is the
// stored one and the table still has the stored rows, the run keeps the table and skips its
// unique, not-null and accepted-values tests (they read the table alone, which passed them when it
// was built); its other tests run as always.

// reuseForbidden are the names a model to be kept (and the models it reads) must not use.
var reuseForbidden = regexp.MustCompile(`(?i)\b(run_id|started_at|now|current_date|current_time|current_timestamp|today|random|uuid|gen_random_uuid|nextval|currval|get_current_time|get_current_timestamp)\b`)

// reuseClosure is m and every model it reads, directly or through others, sorted by name.
func reuseClosure(m *Model, byName map[string]*Model) []*Model {
	seen := map[string]bool{}
	var out []*Model
	var visit func(x *Model)
	visit = func(x *Model) {
		if seen[x.Name] {
			return
		}
		seen[x.Name] = true
		out = append(out, x)
		for _, d := range x.Deps {
			visit(byName[d])
		}
	}
	visit(m)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// checkReuse refuses "reuse" on a model that is not a table or whose closure reads what changes
// from run to run.
func checkReuse(models []*Model, byName map[string]*Model) error {
	for _, m := range models {
		if !m.Reuse {
			continue
		}
		if m.Materialized != "table" {
			return fmt.Errorf("model %s (%s): reuse needs a table", m.Name, m.File)
		}
		for _, x := range reuseClosure(m, byName) {
			if x.Name == "stg_config__parameters" {
				continue
			}
			if w := reuseForbidden.FindString(stripComments(x.SQL)); w != "" {
				return fmt.Errorf("model %s (%s): reuse, but %s reads %s, which differs from run to run", m.Name, m.File, x.Name, w)
			}
		}
	}
	return nil
}

// fingerprint is m's fingerprint in tx; objects are the warehouse's tables and views by name.
func fingerprint(ctx context.Context, tx *sql.Tx, m *Model, byName map[string]*Model, objects map[string]string, cache map[string]string) (string, error) {
	mac, err := macros()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "macros\x00%s\x00", mac)
	sources := map[string]bool{}
	for _, x := range reuseClosure(m, byName) {
		fmt.Fprintf(h, "model %s\x00%s\x00", x.Name, x.SQL)
		for _, id := range identifiers(stripComments(x.SQL)) {
			id = strings.ToLower(id)
			if byName[id] == nil && objects[id] != "" && id != "model_fingerprints" {
				sources[id] = true
			}
		}
	}
	// what the macros read counts too (a model calling one reads it)
	for _, id := range identifiers(stripComments(mac)) {
		id = strings.ToLower(id)
		if byName[id] == nil && objects[id] != "" && id != "model_fingerprints" {
			sources[id] = true
		}
	}
	names := make([]string, 0, len(sources))
	for s := range sources {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		sum, ok := cache[s]
		if !ok {
			q := `SELECT count(*) || ':' || coalesce(CAST(sum(hash(t)) AS VARCHAR), '') FROM ` + s + ` t`
			if s == "run_parameters" {
				q = `SELECT count(*) || ':' || coalesce(CAST(sum(hash(as_of)) AS VARCHAR), '') FROM run_parameters`
			}
			if err := tx.QueryRowContext(ctx, q).Scan(&sum); err != nil {
				return "", fmt.Errorf("model %s: fingerprint of %s: %w", m.Name, s, err)
			}
			cache[s] = sum
		}
		fmt.Fprintf(h, "source %s\x00%s\x00", s, sum)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// reusable says whether the table of m, built by an earlier run, can be kept: its stored fingerprint
// is fp and it still has the stored rows. It returns those rows.
func reusable(ctx context.Context, tx *sql.Tx, m *Model, fp string) (int64, bool, error) {
	var stored string
	var rows int64
	err := tx.QueryRowContext(ctx, `SELECT fingerprint, rows FROM model_fingerprints WHERE model = ?`, m.Name).Scan(&stored, &rows)
	if err == sql.ErrNoRows || (err == nil && stored != fp) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("model %s: read model_fingerprints: %w", m.Name, err)
	}
	var now int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+m.Name).Scan(&now); err != nil {
		return 0, false, fmt.Errorf("model %s: count rows: %w", m.Name, err)
	}
	return rows, now == rows, nil
}

// keepFingerprint stores what m was just built from.
func keepFingerprint(ctx context.Context, tx *sql.Tx, m *Model, fp string, rows int64) error {
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO model_fingerprints VALUES (?, ?, ?)`, m.Name, fp, rows)
	if err != nil {
		return fmt.Errorf("model %s: write model_fingerprints: %w", m.Name, err)
	}
	return nil
}
