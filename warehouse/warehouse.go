// Package warehouse opens the embedded DuckDB warehouse, applies the ordered schema migrations and
// fills the dimension tables from the campaign configuration.
package warehouse

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"landwatch/campaign"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// EnvDB is the environment variable that names the warehouse file when --db is not given.
const EnvDB = "LANDWATCH_DB"

// DefaultPath is the warehouse file used when neither --db nor LANDWATCH_DB is set.
const DefaultPath = "landwatch.duckdb"

// Resolve picks the warehouse file: the flag, else LANDWATCH_DB, else DefaultPath.
func Resolve(flag string) string {
	if flag != "" {
		return flag
	}
	if env := os.Getenv(EnvDB); env != "" {
		return env
	}
	return DefaultPath
}

// DB is an open warehouse.
type DB struct {
	*sql.DB
	Path      string
	ReadOnly  bool
	connector *duckdb.Connector
	// stage is the staging folder once SealRunning has turned file access off (seal.go)
	stage string
}

// ErrLocked is returned when another process holds the warehouse file.
var ErrLocked = errors.New("数据仓库正被另一个 landwatch 进程使用")

// DSN is the DuckDB data source name: extensions are never downloaded or autoloaded.
func DSN(file string, readOnly bool) string {
	return dsn(file, readOnly, false)
}

// dsn is DSN; sealed also turns every file, network and extension access off (the warehouse file
// itself excepted) and locks the configuration so no statement can turn it back on.
func dsn(file string, readOnly, sealed bool) string {
	q := url.Values{}
	q.Set("autoinstall_known_extensions", "false")
	q.Set("autoload_known_extensions", "false")
	if readOnly {
		q.Set("access_mode", "read_only")
	}
	if sealed {
		q.Set("enable_external_access", "false")
		q.Set("allow_community_extensions", "false")
		q.Set("lock_configuration", "true")
	}
	return file + "?" + q.Encode()
}

// Options for Open.
type Options struct {
	// ReadOnly opens without migrating; writes fail.
	ReadOnly bool
	// RefuseShared refuses a warehouse file that its group or others may read (init and serve):
	// it holds the tips, and a copy may already have been taken.
	RefuseShared bool
	// Sealed (with ReadOnly) opens with external access off and the configuration locked: no
	// statement reads or writes a file other than the warehouse, installs or loads an extension.
	Sealed bool
	// Config, when set, is applied if it differs from the one in force. When nil and the warehouse
	// has none yet, the embedded default is applied.
	Config *campaign.Config
}

// Open opens (creating if need be) the warehouse file, applies pending migrations, makes sure a
// campaign configuration is in force and runs what packages registered with AfterOpen (afteropen.go).
// Re-opening an up-to-date file changes nothing.
func Open(ctx context.Context, file string, opt Options) (*DB, error) {
	if opt.ReadOnly {
		if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("数据仓库 %s 不存在，请先运行 `landwatch init`", file)
		} else if err != nil {
			return nil, fmt.Errorf("无法打开数据仓库 %s：%w", file, err)
		}
	}
	if opt.RefuseShared {
		if st, err := os.Stat(file); err == nil && st.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("数据仓库 %s 的权限为 %v，同组或其他用户可以读取其中的举报内容；请先执行 chmod 600 %s，并确认它没有被复制", file, st.Mode().Perm(), file)
		}
	}
	if !opt.ReadOnly {
		privateFiles()
	}
	connector, err := duckdb.NewConnector(dsn(file, opt.ReadOnly, opt.Sealed && opt.ReadOnly), nil)
	if err != nil {
		return nil, wrapOpenErr(file, err)
	}
	db := &DB{DB: sql.OpenDB(connector), Path: file, ReadOnly: opt.ReadOnly, connector: connector}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, wrapOpenErr(file, err)
	}
	if opt.ReadOnly {
		return db, nil
	}
	for _, f := range []string{file, file + ".wal"} {
		if err := os.Chmod(f, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			db.Close()
			return nil, fmt.Errorf("无法打开数据仓库 %s：%w", file, err)
		}
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	cur, err := db.currentConfigSHA(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	switch {
	case opt.Config != nil && sha(opt.Config.Text) != cur:
		err = db.ApplyConfig(ctx, opt.Config)
	case opt.Config == nil && cur == "":
		err = db.ApplyConfig(ctx, campaign.Default())
	case cur != "":
		err = db.refreshParameters(ctx)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, fn := range afterOpen {
		if err := fn(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// lockHolder finds the process holding the lock in DuckDB's message (“… (PID 1234) …”).
var lockHolder = regexp.MustCompile(`PID (\d+)`)

func wrapOpenErr(file string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "Could not set lock") || strings.Contains(msg, "Conflicting lock") {
		holder := ""
		if m := lockHolder.FindStringSubmatch(msg); m != nil {
			holder = "（进程号 " + m[1] + "）"
		}
		return fmt.Errorf("无法打开数据仓库 %s：%w%s；请先停止该进程，或在服务运行时由它代为执行命令", file, ErrLocked, holder)
	}
	return fmt.Errorf("无法打开数据仓库 %s：%w", file, err)
}

// Conn returns a raw driver connection, for the Appender. The caller closes it.
func (db *DB) Conn(ctx context.Context) (driver.Conn, error) {
	return db.connector.Connect(ctx)
}

// Migration is one numbered schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations in order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", name)
		}
		body, err := migrationFS.ReadFile(path.Join("migrations", name))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", out[i-1].Name, out[i].Name, out[i].Version)
		}
	}
	return out, nil
}

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied := map[int]bool{}
	rows, err := db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	rows.Close()
	migs, err := Migrations()
	if err != nil {
		return err
	}
	for _, m := range migs {
		if applied[m.Version] {
			continue
		}
		if err := db.InTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name)
			return err
		}); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// AppliedMigrations lists the versions recorded in schema_migrations, in order.
func (db *DB) AppliedMigrations(ctx context.Context) ([]int, error) {
	rows, err := db.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// InTx runs fn in a transaction, committing when it returns nil.
func (db *DB) InTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func (db *DB) currentConfigSHA(ctx context.Context) (string, error) {
	var s sql.NullString
	err := db.QueryRowContext(ctx, `SELECT sha256 FROM campaign_config ORDER BY config_id DESC LIMIT 1`).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read campaign config: %w", err)
	}
	return s.String, nil
}

// Config returns the campaign configuration in force in the warehouse.
func (db *DB) Config(ctx context.Context) (*campaign.Config, error) {
	var src, text string
	err := db.QueryRowContext(ctx, `SELECT source, toml FROM campaign_config ORDER BY config_id DESC LIMIT 1`).Scan(&src, &text)
	if errors.Is(err, sql.ErrNoRows) {
		return campaign.Default(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read campaign config: %w", err)
	}
	return campaign.Parse(src, []byte(text))
}

// refreshParameters re-applies the configuration in force when dim_parameters lacks a parameter a
// newer binary reads (one whose configuration key takes its default when absent), dim_actions is
// empty (a warehouse configured before the required actions) or dim_labels lacks a label this
// binary has (configured before the label table, or before a column of it).
func (db *DB) refreshParameters(ctx context.Context) error {
	cfg, err := db.Config(ctx)
	if err != nil {
		return err
	}
	var have int
	if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT key) FROM dim_parameters`).Scan(&have); err != nil {
		return fmt.Errorf("read dim_parameters: %w", err)
	}
	var actions int // dim_actions came with migration 0130: a warehouse configured before it has none
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM dim_actions`).Scan(&actions); err != nil {
		return fmt.Errorf("read dim_actions: %w", err)
	}
	var labels int // dim_labels came with migration 0145: a warehouse configured before it has none
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM dim_labels`).Scan(&labels); err != nil {
		return fmt.Errorf("read dim_labels: %w", err)
	}
	if have >= len(Parameters(cfg)) && actions > 0 && labels >= len(cfg.LabelRows()) {
		return nil
	}
	return db.ApplyConfig(ctx, cfg)
}
