package power

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/etl/batch"
	"landwatch/etl/read"
	"landwatch/warehouse"
)

// ExternalAlertsMeta is the _landwatch.json file the Spark job (spark/power_alerts.py) writes next
// to its Parquet files: whose export it computed, as of which day, on which engine.
type ExternalAlertsMeta struct {
	County string `json:"county"`
	AsOf   string `json:"as_of"` // YYYY-MM-DD
	Engine string `json:"engine"`
}

// externalAlertColumns are the columns of mart_power_alerts the files must hold.
var externalAlertColumns = []string{"alert_id", "meter_id", "township", "village", "customer_type", "rule",
	"first_day", "last_day", "score", "check_result"}

// LoadAlerts loads a directory of power alerts computed outside the warehouse (Parquet files
// with the columns of mart_power_alerts, and _landwatch.json) into raw_external_power_alerts, in one
// transaction, as one batch of kind power-alerts. The same files again are a no-op.
func LoadAlerts(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, dir string, opt batch.Options) (*batch.Result, error) {
	name := filepath.Base(filepath.Clean(dir))
	p := &read.Problems{File: name}
	fail := func(msg string) (*batch.Result, error) {
		p.Add(0, "", "", msg)
		return nil, p.Err(KindAlerts)
	}
	metaData, err := os.ReadFile(filepath.Join(dir, "_landwatch.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return fail("目录中没有 _landwatch.json（由 spark/power_alerts.py 写出，说明数据截至日期）")
	} else if err != nil {
		return nil, fmt.Errorf("导入 %s：%w", dir, err)
	}
	var meta ExternalAlertsMeta
	if err := json.Unmarshal(metaData, &meta); err != nil {
		return fail("_landwatch.json 格式错误：" + jsonWhere(err))
	}
	asOf, err := time.Parse(time.DateOnly, meta.AsOf)
	if err != nil {
		return fail("_landwatch.json 的 as_of “" + meta.AsOf + "”不是日期 YYYY-MM-DD")
	}
	if meta.County != "" && meta.County != cfg.County.Name {
		return fail(fmt.Sprintf("这是%s的预警，本数据仓库是%s的", meta.County, cfg.County.Name))
	}
	if meta.Engine == "" {
		meta.Engine = "external"
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.parquet"))
	if err != nil {
		return nil, fmt.Errorf("导入 %s：%w", dir, err)
	}
	sort.Strings(files)
	if len(files) == 0 {
		return fail("目录中没有 Parquet 文件")
	}
	h := sha256.New()
	h.Write(metaData)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("导入 %s：%w", f, err)
		}
		s := sha256.Sum256(data)
		fmt.Fprintf(h, "\x1e%s\x1f%x", filepath.Base(f), s)
	}
	sha := hex.EncodeToString(h.Sum(nil))
	if id, rows, _, err := batch.FindLoaded(ctx, db, KindAlerts, sha); err != nil {
		return nil, fmt.Errorf("导入 %s：%w", dir, err)
	} else if id != 0 {
		return &batch.Result{BatchID: id, Kind: KindAlerts, File: name, Rows: rows, AlreadyLoaded: true}, nil
	}
	arr, err := batch.ResolveArrival(opt, cfg.Location())
	if err != nil {
		return fail(err.Error())
	}
	quoted := make([]string, len(files))
	for i, f := range files {
		// on a running server's warehouse, DuckDB reads only files put in its staging folder (warehouse/seal.go)
		staged, unstage, err := db.Stage(f)
		if err != nil {
			return nil, fmt.Errorf("导入 %s：%w", f, err)
		}
		defer unstage()
		quoted[i] = "'" + strings.ReplaceAll(staged, "'", "''") + "'"
	}
	src := "read_parquet([" + strings.Join(quoted, ", ") + "])"
	res := &batch.Result{Kind: KindAlerts, File: name, ReceivedAt: arr.At, ReceivedBy: arr.GivenBy}
	err = db.InTx(ctx, func(tx *sql.Tx) error {
		cols := map[string]bool{}
		rows, err := tx.QueryContext(ctx, "SELECT column_name FROM (DESCRIBE SELECT * FROM "+src+")")
		if err != nil {
			p.Add(0, "", "", "无法读取 Parquet 文件"+why(err))
			return p.Err(KindAlerts)
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return err
			}
			cols[c] = true
		}
		rows.Close()
		for _, c := range externalAlertColumns {
			if !cols[c] {
				p.Add(0, c, "", "缺少列")
			}
		}
		if err := p.Err(KindAlerts); err != nil {
			return err
		}
		if res.BatchID, err = batch.NewID(ctx, tx); err != nil {
			return fmt.Errorf("导入 %s：%w", dir, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO raw_external_power_alerts
			SELECT ?, row_number() OVER (), ?, ?, CAST(alert_id AS VARCHAR), CAST(meter_id AS VARCHAR), CAST(township AS VARCHAR),
				CAST(village AS VARCHAR), CAST(customer_type AS VARCHAR), CAST(rule AS VARCHAR), CAST(first_day AS DATE),
				CAST(last_day AS DATE), CAST(score AS DOUBLE), CAST(check_result AS VARCHAR)
			FROM `+src, res.BatchID, asOf, meta.Engine)
		if err != nil {
			p.Add(0, "", "", "导入失败"+why(err))
			return p.Err(KindAlerts)
		}
		bad, err := tx.QueryContext(ctx, `SELECT source_row, alert_id, rule, first_day, last_day FROM raw_external_power_alerts
			WHERE batch_id = ? AND (rule NOT IN ('night_over_day', 'surge', 'closed_mine', 'supply_after_cutoff') OR first_day > last_day OR last_day > ?)
			ORDER BY source_row LIMIT 10`, res.BatchID, asOf)
		if err != nil {
			return fmt.Errorf("核对 %s：%w", dir, err)
		}
		for bad.Next() {
			var row int64
			var id, rule string
			var first, last time.Time
			if err := bad.Scan(&row, &id, &rule, &first, &last); err != nil {
				bad.Close()
				return err
			}
			p.Add(int(row), "rule/first_day/last_day", id,
				fmt.Sprintf("规则 %s、首日 %s、末日 %s 不合理（规则未知、首日晚于末日或晚于截至日）", rule, first.Format(time.DateOnly), last.Format(time.DateOnly)))
		}
		bad.Close()
		if err := p.Err(KindAlerts); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM raw_external_power_alerts WHERE batch_id = ?`, res.BatchID).Scan(&res.Rows); err != nil {
			return err
		}
		return batch.Insert(ctx, tx, &batch.Batch{ID: res.BatchID, Kind: KindAlerts, File: name, SHA: sha, Rows: res.Rows,
			LoadedBy: opt.LoadedBy, Arrival: arr}, nil)
	})
	if err != nil {
		var fe *read.FileError
		if errors.As(err, &fe) {
			return nil, err
		}
		return nil, fmt.Errorf("导入 %s：%w", dir, err)
	}
	return res, nil
}
