package reports

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"landwatch/warehouse"
)

// BriefingFile is one briefing written into the briefings folder.
type BriefingFile struct {
	AsOf      time.Time
	ISOWeek   string
	FileName  string
	Bytes     int64
	SHA256    string
	WrittenAt time.Time
	WrittenBy string
}

// BriefingsDir is the briefings folder of a warehouse file: "briefings" next to it.
func BriefingsDir(dbPath string) string { return filepath.Join(filepath.Dir(dbPath), "briefings") }

// BriefingName is the file name of the briefing as of a date in the briefings folder:
// briefing-20230416.pdf (earlier versions wrote briefing-2023-W15-20230416.pdf; both end in the
// as-of date). People download it as DownloadName says.
func BriefingName(asOf time.Time) string {
	return fmt.Sprintf("briefing-%s.pdf", asOf.Format("20060102"))
}

// DownloadName is the name a briefing file is downloaded as, by the dates of its week (Monday to
// Sunday) as a county office names its files: 工作周报-20230410至0416.pdf. A name that does not end
// in an as-of date (YYYYMMDD.pdf) is returned as it is.
func DownloadName(file string) string {
	day, ok := strings.CutSuffix(file, ".pdf")
	if !ok || len(day) < 8 {
		return file
	}
	asOf, err := time.Parse("20060102", day[len(day)-8:])
	if err != nil {
		return file
	}
	mon := asOf.AddDate(0, 0, -int((asOf.Weekday()+6)%7))
	sun := mon.AddDate(0, 0, 6)
	to := sun.Format("0102")
	if sun.Year() != mon.Year() {
		to = sun.Format("20060102")
	}
	return "工作周报-" + mon.Format("20060102") + "至" + to + ".pdf"
}

// WriteBriefing renders the weekly briefing as of asOf into dir (created if need be), atomically,
// and records it in the briefings table. It returns the file's path.
func WriteBriefing(ctx context.Context, db *warehouse.DB, dir string, asOf time.Time, by string) (string, error) {
	asOf = dateOnly(asOf)
	var buf bytes.Buffer
	if err := Weekly(ctx, db, asOf, &buf); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("briefings folder: %w", err)
	}
	name := BriefingName(asOf)
	path := filepath.Join(dir, name)
	tmp, err := os.CreateTemp(dir, ".briefing-*.pdf")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	_, werr := tmp.Write(buf.Bytes())
	if err := errors.Join(werr, tmp.Sync(), tmp.Close()); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	sum := sha256.Sum256(buf.Bytes())
	y, w := asOf.ISOWeek()
	err = db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM briefings WHERE file_name = ?`, name); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO briefings VALUES (?, ?, ?, ?, ?, ?, ?)`, asOf, fmt.Sprintf("%d-W%02d", y, w),
			name, int64(buf.Len()), hex.EncodeToString(sum[:]), time.Now().UTC(), by)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("record briefing %s: %w", name, err)
	}
	return path, nil
}

// Briefings lists the briefings written, newest first.
func Briefings(ctx context.Context, db *warehouse.DB) ([]BriefingFile, error) {
	rows, err := db.QueryContext(ctx, `SELECT as_of, iso_week, file_name, bytes, sha256, written_at, written_by
		FROM briefings ORDER BY as_of DESC, written_at DESC`)
	if err != nil {
		return nil, fmt.Errorf("read briefings: %w", err)
	}
	defer rows.Close()
	var out []BriefingFile
	for rows.Next() {
		var b BriefingFile
		if err := rows.Scan(&b.AsOf, &b.ISOWeek, &b.FileName, &b.Bytes, &b.SHA256, &b.WrittenAt, &b.WrittenBy); err != nil {
			return nil, fmt.Errorf("read briefings: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
