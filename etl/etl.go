// Package etl loads the campaign's input files into the warehouse's raw tables: inspection forms,
// rectification ledgers, patrol logs, cases, power meters and readings, power field checks, imagery
// patches, the licence register and other clues (README "Input formats"). Every file is validated in full and loaded in one transaction
// or not at all; every row keeps its batch and source row; the same bytes loaded twice are a no-op;
// a township's corrected form replaces the earlier one.
//
// This package holds each kind's column contract (columns.go) and converter, and loads one file
// or a manifest. It is built from three below it: etl/read turns a file into rows (csv, xlsx,
// headers, dates, numbers, the cell errors), etl/batch is what every load shares (options, result,
// arrival stamp, the load_batches row), and etl/power loads power readings and alerts.
//
// Fuzzing (short run for the README):
//
//	go test ./etl -run '^$' -fuzz FuzzParseDate -fuzztime 30s
//	(likewise FuzzParseNumber, FuzzReadCSV, FuzzReadXLSX, FuzzGeoJSON)
package etl

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/etl/batch"
	"landwatch/etl/power"
	"landwatch/etl/read"
	"landwatch/warehouse"
)

// Kind names an input contract.
type Kind = read.Kind

// The types and helpers of a load that live in the packages it is built from: batch (options,
// result, arrival stamps), read (files, cell errors) and power (readings).
type (
	Options   = batch.Options
	Result    = batch.Result
	FileError = read.FileError
	CellError = read.CellError
	Warning   = read.Warning
)

// MaxErrors is how many cell errors one file reports before it stops collecting.
const MaxErrors = read.MaxErrors

// ParseReceived reads an arrival stamp given by hand (batch.ParseReceived).
func ParseReceived(s string, loc *time.Location) (time.Time, error) {
	return batch.ParseReceived(s, loc)
}

// ParseDate reads a date as offices write it (read.ParseDate).
func ParseDate(s string, defaultYear int) (time.Time, bool) { return read.ParseDate(s, defaultYear) }

// ParseNumber reads a number as offices write it (read.ParseNumber).
func ParseNumber(s string) (float64, bool) { return read.ParseNumber(s) }

// GeneratedRowMismatches counts the readings of a generated benchmark batch that differ from what
// the generator wrote (power.GeneratedRowMismatches).
func GeneratedRowMismatches(ctx context.Context, db *warehouse.DB, batchID int64, hours int) (int64, error) {
	return power.GeneratedRowMismatches(ctx, db, batchID, hours)
}

// BenchReadCSV is the load benchmark's reference, DuckDB's read_csv of the file (power.BenchReadCSV).
func BenchReadCSV(ctx context.Context, db *warehouse.DB, path string, meterAsText bool) (finish func() (int64, error), err error) {
	return power.BenchReadCSV(ctx, db, path, meterAsText)
}

// DiscardBenchBatch drops a benchmark readings batch (power.DiscardBenchBatch).
func DiscardBenchBatch(ctx context.Context, db *warehouse.DB, batchID int64) error {
	return power.DiscardBenchBatch(ctx, db, batchID)
}

const (
	KindInspection    Kind = "inspection"
	KindRectification Kind = "rectification"
	KindPatrol        Kind = "patrol"
	KindCases         Kind = "cases"
	KindMeters        Kind = "meters"
	KindPower         Kind = power.KindReadings
	KindPowerChecks   Kind = "power-checks"
	KindImagery       Kind = "imagery"
	KindClues         Kind = "clues"
	// KindLicences is the licence register (矿业权登记): licensed areas with their validity.
	KindLicences Kind = "licences"
	// the accountability chain (README "Input formats"): the responsibility register, the
	// 责任分解表 and the 回头看 re-inspections
	KindResponsibilities Kind = "responsibilities"
	KindDuties           Kind = "duties"
	KindRechecks         Kind = "rechecks"
	// KindPowerAlerts is a directory of power alerts computed outside the warehouse (Spark).
	KindPowerAlerts Kind = power.KindAlerts
)

// Kinds lists every kind in the order files must be loaded (references point backwards).
var Kinds = []Kind{KindMeters, KindPower, KindPowerChecks, KindImagery, KindLicences, KindCases, KindCaseStages, KindClues,
	KindInspection, KindPatrol, KindRectification, KindResponsibilities, KindDuties, KindRechecks, KindExplosives, KindVideo,
	KindRestoration, KindAcceptances, KindCollections}

// ParseKind checks a kind name.
func ParseKind(s string) (Kind, error) {
	if s == string(KindPowerAlerts) { // a directory computed from an export, not an input contract
		return KindPowerAlerts, nil
	}
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return "", fmt.Errorf("未知数据类型“%s”：应为 %s", s, strings.Join(names, "、"))
}

// LoadFile loads one file of the given kind.
func LoadFile(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, kind Kind, path string, opt Options) (*Result, error) {
	if _, err := ParseKind(string(kind)); err != nil {
		return nil, err
	}
	if kind == KindPower {
		return power.LoadReadings(ctx, db, cfg, path, filepath.Base(path), opt)
	}
	if kind == KindPowerAlerts {
		return power.LoadAlerts(ctx, db, cfg, path, opt)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("导入 %s：%w", path, err)
	}
	if opt.Dir == "" {
		opt.Dir = filepath.Dir(path)
	}
	return loadBytes(ctx, db, cfg, kind, filepath.Base(path), data, opt)
}

// Load loads an uploaded file; name is its file name (the extension picks the format).
func Load(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, kind Kind, name string, r io.Reader, opt Options) (*Result, error) {
	if _, err := ParseKind(string(kind)); err != nil {
		return nil, err
	}
	name = filepath.Base(name)
	if kind == KindPowerAlerts {
		return nil, fmt.Errorf("%s 是一个目录，请用命令行导入：landwatch load power-alerts 目录", name)
	}
	if kind == KindPower {
		tmp, err := os.CreateTemp("", "landwatch-upload-*"+strings.ToLower(filepath.Ext(name)))
		if err != nil {
			return nil, err
		}
		defer os.Remove(tmp.Name())
		if _, err := io.Copy(tmp, r); err != nil {
			tmp.Close()
			return nil, fmt.Errorf("导入 %s：%w", name, err)
		}
		if err := tmp.Close(); err != nil {
			return nil, err
		}
		return power.LoadReadings(ctx, db, cfg, tmp.Name(), name, opt)
	}
	data, err := readAllSized(r)
	if err != nil {
		return nil, fmt.Errorf("导入 %s：%w", name, err)
	}
	return loadBytes(ctx, db, cfg, kind, name, data, opt)
}

// readAllSized reads r whole; a reader that holds the file whole already (Bytes, as a
// bytes.Buffer: a township's upload, read once for its own check) hands it over without a copy; a
// reader that knows its length (bytes.Reader, or Len on the portal's uploads) is read into one
// buffer of that size instead of a growing one.
func readAllSized(r io.Reader) ([]byte, error) {
	if b, ok := r.(interface{ Bytes() []byte }); ok {
		return b.Bytes(), nil
	}
	l, ok := r.(interface{ Len() int })
	if !ok {
		return io.ReadAll(r)
	}
	data := make([]byte, l.Len())
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, err
	}
	return data, nil
}

// Manifest is the list of files `landwatch gen` writes, in load order.
type Manifest struct {
	Seed  int64  `json:"seed"`
	Scale string `json:"scale"`
	Files []struct {
		Kind Kind   `json:"kind"`
		Path string `json:"path"`
		// ReceivedOn is when the file reached the county: YYYY-MM-DD (the end of the day) or
		// YYYY-MM-DDTHH:MM, campaign local time; empty means the load's own stamp.
		ReceivedOn string `json:"received_on,omitempty"`
	} `json:"files"`
}

// extraJSON encodes the columns beyond the contract, or NULL.
func extraJSON(r *read.Record) any {
	if len(r.Extra) == 0 {
		return nil
	}
	b, err := json.Marshal(r.Extra)
	if err != nil {
		return nil
	}
	return string(b)
}
