package queries

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"landwatch/warehouse"
)

// ExportSchemaVersion is the layout of a Parquet export (ExportManifest). It changes when a file,
// a column or the manifest changes shape, so that a reader (the province roll-up, the Spark job)
// can refuse an export it does not understand.
const ExportSchemaVersion = 1

// ExportManifestName is the manifest's file name inside an export directory.
const ExportManifestName = "manifest.json"

// ExportManifest describes a Parquet export: whose it is, as of which day, what it holds and the
// SHA-256 of every file, so that a reader can tell a complete export from a damaged one.
type ExportManifest struct {
	County        string `json:"county"`
	Province      string `json:"province,omitempty"`
	AsOf          string `json:"as_of"` // YYYY-MM-DD
	SchemaVersion int    `json:"schema_version"`
	CreatedAt     string `json:"created_at"` // RFC 3339, UTC
	// Parameters are the power rules' keys of dim_parameters (numbers, or YYYY-MM-DD dates), for
	// a job that runs the rules without the warehouse.
	Parameters map[string]any `json:"parameters"`
	// CustomerTypes are the configured customer types with their own power-rule thresholds
	// (dim_customer_types; the built-in types take Parameters').
	CustomerTypes []ExportCustomerType `json:"customer_types,omitempty"`
	// Rows counts the rows of each data set: "marts/<mart>", "power_readings", "meters",
	// "power_cutoffs".
	Rows map[string]int64 `json:"rows"`
	// Files lists every file of the export but the manifest, by slash path relative to it.
	Files []ExportFile `json:"files"`
}

// ExportCustomerType is a configured customer type and its thresholds of the power rules.
type ExportCustomerType struct {
	CustomerType        string  `json:"customer_type"`
	NightRatio          float64 `json:"night_ratio"`
	NightMinKWh         float64 `json:"night_min_kwh"`
	SurgeRatio          float64 `json:"surge_ratio"`
	SurgeMinIncreaseKWh float64 `json:"surge_min_increase_kwh"`
}

// ExportFile is one file of an export.
type ExportFile struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// powerParameterKeys are the dim_parameters keys the power rules read (stg_config__parameters).
var powerParameterKeys = []string{"night_start_hour", "night_end_hour", "night_ratio", "night_min_kwh",
	"night_min_days", "night_window_days", "surge_ratio", "surge_window_days", "surge_baseline_days",
	"surge_min_increase_kwh", "closed_mine_min_kwh", "silent_days"}

// ExportOptions for Export.
type ExportOptions struct {
	// Out is the export directory; it must not exist or be empty.
	Out string
	// AsOf is the day exported, up to the last models run; zero means the last run's day.
	AsOf time.Time
	// Now is the clock for created_at (default time.Now).
	Now func() time.Time
}

// Export writes the warehouse as known at a day as open Parquet files: every mart as of the day
// (marts/<mart>.parquet, with a county column), the readings whose file had arrived by the end of
// the day and that lie on or before it, Hive-partitioned by day (power_readings/day=YYYY-MM-DD/),
// the meters' versions known at the day (meters.parquet) and manifest.json. The marts of a day
// before the last run are built on the fly (At).
func Export(ctx context.Context, db *warehouse.DB, opt ExportOptions) (*ExportManifest, error) {
	if opt.Out == "" {
		return nil, errors.New("未指定导出目录")
	}
	if entries, err := os.ReadDir(opt.Out); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("导出目录 %s 不是空目录，请换一个目录或先清空", opt.Out)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("导出到 %s：%w", opt.Out, err)
	}
	if err := os.MkdirAll(filepath.Join(opt.Out, "marts"), 0o700); err != nil {
		return nil, fmt.Errorf("导出到 %s：%w", opt.Out, err)
	}
	day := opt.AsOf
	if day.IsZero() {
		var err error
		if day, err = LatestAsOf(ctx, db); err != nil {
			return nil, err
		}
	}
	day = warehouse.DateOnly(day)
	cfg, err := db.Config(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	m := &ExportManifest{County: cfg.County.Name, Province: cfg.County.Province, AsOf: day.Format(time.DateOnly), SchemaVersion: ExportSchemaVersion,
		CreatedAt: now().UTC().Format(time.RFC3339), Parameters: map[string]any{}, Rows: map[string]int64{}}
	if err := readPowerParameters(ctx, db, m.Parameters); err != nil {
		return nil, err
	}
	if m.CustomerTypes, err = readCustomerTypes(ctx, db); err != nil {
		return nil, err
	}
	models, err := Models()
	if err != nil {
		return nil, err
	}
	until := sqlLit(day.AddDate(0, 0, 1).Format(time.DateOnly))
	err = At(ctx, db, day, func(q Querier) error {
		for _, md := range models {
			if md.Layer != "marts" {
				continue
			}
			n, err := copyTo(ctx, q, fmt.Sprintf(`SELECT %s AS county, * FROM %s`, sqlLit(m.County), md.Name),
				filepath.Join(opt.Out, "marts", md.Name+".parquet"), "")
			if err != nil {
				return fmt.Errorf("export %s: %w", md.Name, err)
			}
			m.Rows["marts/"+md.Name] = n
		}
		n, err := copyTo(ctx, q, `SELECT meter_id, ts, kwh, CAST(ts AS DATE) AS day FROM stg_power__readings
			WHERE known_from < CAST(`+until+` AS TIMESTAMP) AND ts < CAST(`+until+` AS TIMESTAMP)
			ORDER BY day, meter_id, ts`, filepath.Join(opt.Out, "power_readings"), "PARTITION_BY (day)")
		if err != nil {
			return fmt.Errorf("export power readings: %w", err)
		}
		m.Rows["power_readings"] = n
		n, err = copyTo(ctx, q, `SELECT meter_id, account, customer_type, township, village, lon, lat, address
			FROM stg_power__meters WHERE known_at(known_from, known_until, CAST(`+sqlLit(m.AsOf)+` AS DATE))
			ORDER BY meter_id`, filepath.Join(opt.Out, "meters.parquet"), "")
		if err != nil {
			return fmt.Errorf("export meters: %w", err)
		}
		m.Rows["meters"] = n
		// 终止供电 entries known by the end of the day, with the moment each was made: the rule
		// supply_after_cutoff reads the latest confirmation known on a date (int_power_rule_days)
		n, err = copyTo(ctx, q, `SELECT meter_id, kind, cutoff_on, known_from FROM stg_power__cutoffs
			WHERE known_at(known_from, known_until, CAST(`+sqlLit(m.AsOf)+` AS DATE))
			ORDER BY meter_id, known_from, kind, cutoff_on`, filepath.Join(opt.Out, "power_cutoffs.parquet"), "")
		if err != nil {
			return fmt.Errorf("export power cut-offs: %w", err)
		}
		m.Rows["power_cutoffs"] = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	if m.Files, err = HashExport(opt.Out); err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("export manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(opt.Out, ExportManifestName), append(data, '\n'), 0o600); err != nil {
		return nil, fmt.Errorf("export manifest: %w", err)
	}
	// The export holds meter holders' names and addresses: owner-only, whatever the umask DuckDB's
	// COPY wrote its files and partition folders with.
	if err := warehouse.PrivateTree(opt.Out); err != nil {
		return nil, fmt.Errorf("导出到 %s：%w", opt.Out, err)
	}
	return m, nil
}

// readPowerParameters puts the power rules' keys of dim_parameters into p.
func readPowerParameters(ctx context.Context, q Querier, p map[string]any) error {
	rows, err := q.QueryContext(ctx, `SELECT key, num, day FROM dim_parameters WHERE key IN ('`+
		strings.Join(powerParameterKeys, "', '")+`') ORDER BY key`)
	if err != nil {
		return fmt.Errorf("read dim_parameters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var num sql.NullFloat64
		var d sql.NullTime
		if err := rows.Scan(&key, &num, &d); err != nil {
			return fmt.Errorf("read dim_parameters: %w", err)
		}
		switch {
		case num.Valid:
			p[key] = num.Float64
		case d.Valid:
			p[key] = d.Time.Format(time.DateOnly)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read dim_parameters: %w", err)
	}
	for _, k := range powerParameterKeys {
		if _, ok := p[k]; !ok {
			return fmt.Errorf("dim_parameters 中缺少参数 %s", k)
		}
	}
	return nil
}

// readCustomerTypes reads the configured customer types with their thresholds (dim_customer_types).
func readCustomerTypes(ctx context.Context, q Querier) ([]ExportCustomerType, error) {
	rows, err := q.QueryContext(ctx, `SELECT customer_type, night_ratio, night_min_kwh, surge_ratio, surge_min_increase_kwh
		FROM dim_customer_types WHERE NOT builtin ORDER BY sort_order`)
	if err != nil {
		return nil, fmt.Errorf("read dim_customer_types: %w", err)
	}
	defer rows.Close()
	var out []ExportCustomerType
	for rows.Next() {
		var t ExportCustomerType
		if err := rows.Scan(&t.CustomerType, &t.NightRatio, &t.NightMinKWh, &t.SurgeRatio, &t.SurgeMinIncreaseKWh); err != nil {
			return nil, fmt.Errorf("read dim_customer_types: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// copyTo writes the rows of query to path as Parquet (options: extra COPY options) and returns
// how many it wrote.
func copyTo(ctx context.Context, q Querier, query, path, options string) (int64, error) {
	opts := "FORMAT parquet, COMPRESSION zstd"
	if options != "" {
		opts += ", " + options
	}
	var n int64
	if err := q.QueryRowContext(ctx, "COPY ("+query+") TO "+sqlLit(path)+" ("+opts+")").Scan(&n); err != nil {
		return 0, err
	}
	return n, nil
}

// HashExport lists every file under dir but the manifest, in path order, with its size and SHA-256.
func HashExport(dir string) ([]ExportFile, error) {
	var out []ExportFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == ExportManifestName {
			return nil
		}
		sum, n, err := HashFile(p)
		if err != nil {
			return err
		}
		out = append(out, ExportFile{Path: rel, Bytes: n, SHA256: sum})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("checksum export %s: %w", dir, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// HashFile is the SHA-256 (hex) and size of a file.
func HashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// sqlLit quotes s as a SQL string literal.
func sqlLit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
