package etl

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"landwatch/etl/read"
	"landwatch/internal/sanitize"
)

// KindVideo is the cameras' event list (视频监控): per event its camera (摄像头编号), township and
// village, point, time (时间, date and time of day), type (事件类型: 夜间作业, 车辆进出, 机械作业 or 其他),
// the screenshot's file name (截图文件名) and a note (说明). The screenshot lies in the same folder
// as the list; it is read, checked and stripped of its metadata like an uploaded photo
// (internal/sanitize, the portal's size and pixel limits) and kept as evidence in
// raw_video_screenshots. A missing, unreadable or refused screenshot, or a name that is not a plain
// file name of that folder, is an error of its row. A later file's row for an event is its newer
// version. queries/marts/mart_video_events.sql decides which events are clues.
const KindVideo Kind = "video"

// VideoEventTypes are the accepted values of 事件类型.
var VideoEventTypes = []string{"夜间作业", "车辆进出", "机械作业", "其他"}

func convVideo(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_video_events", cols: []string{"source_row", "event_id", "camera_id", "township", "village", "lon", "lat",
		"seen_at", "event_type", "screenshot", "note", "extra"},
		idTable: "raw_video_events", idField: "event_id", idCol: "事件编号", versions: true}
	shots := table{name: "raw_video_screenshots", cols: []string{"event_id", "name", "mime", "sha256", "data"}}
	for _, r := range recs {
		id := l.required(r, "event_id", "事件编号")
		camera := l.required(r, "camera_id", "摄像头编号")
		t := l.township(r.Row, "乡镇", r.Get("township"))
		v := l.village(r.Row, "村", t, r.Get("village"))
		lon, lat := l.coords(r)
		if r.Get("lon") == "" && r.Get("lat") == "" {
			l.p.Add(r.Row, "经度", "", "不能为空（摄像头须有经纬度）")
		}
		var seen any
		switch s := r.Get("seen_at"); {
		case s == "":
			l.p.Add(r.Row, "时间", "", "不能为空")
		default:
			at, ok := parseEventTime(s)
			switch {
			case !ok:
				l.p.Add(r.Row, "时间", s, "不是有效时间（应写作 2023-03-05 22:30）")
			case !l.cfg.Covers(day0(at)):
				l.p.Add(r.Row, "时间", s, "不在专项行动的阶段或常态化周期内（"+l.cfg.DataSpansText()+"）")
			case !l.arrivalDay.IsZero() && day0(at).After(l.arrivalDay):
				l.p.Add(r.Row, "时间", s, "晚于送达时间：文件送达时不可能已有此事件，请核对送达时间或该时间")
			default:
				seen = at
			}
		}
		typ := l.oneOf(r, "event_type", "事件类型", true, VideoEventTypes...)
		name := l.required(r, "screenshot", "截图文件名")
		if n, ok := name.(string); ok {
			if f, err := l.screenshot(n); err != nil {
				l.p.Add(r.Row, "截图文件名", n, err.Error())
			} else if idText, ok := id.(string); ok {
				h := sha256.Sum256(f.Data)
				shots.rows = append(shots.rows, []any{idText, n, f.MIME, hex.EncodeToString(h[:]), f.Data})
			}
		}
		o.rows = append(o.rows, []any{r.Row, id, camera, nilIfEmpty(t), v, lon, lat, seen, typ, name, optional(r, "note"), extraJSON(r)})
		o.ids, o.idRows = append(o.ids, r.Get("event_id")), append(o.idRows, r.Row)
	}
	o.more = append(o.more, shots)
	return o, nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func day0(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// screenshot reads a screenshot named in the list from the list's folder: a plain file name (no
// folder, no ..), a regular file (not a link), no larger than the portal's file limit, an image,
// stripped of its metadata by internal/sanitize. The error says why, in Chinese.
func (l *loader) screenshot(name string) (sanitize.File, error) {
	if l.dir == "" {
		return sanitize.File{}, fmt.Errorf("找不到截图：请从命令行导入视频事件表，截图放在表格所在的文件夹")
	}
	if name != filepath.Base(name) || strings.ContainsAny(name, `/\`) || name == "." || name == ".." || strings.HasPrefix(name, ".") {
		return sanitize.File{}, fmt.Errorf("应为表格所在文件夹中的文件名，不能含路径")
	}
	path := filepath.Join(l.dir, name)
	st, err := os.Lstat(path)
	switch {
	case os.IsNotExist(err):
		return sanitize.File{}, fmt.Errorf("截图文件不存在（应与表格在同一文件夹）")
	case err != nil:
		return sanitize.File{}, fmt.Errorf("截图文件无法读取")
	case !st.Mode().IsRegular():
		return sanitize.File{}, fmt.Errorf("不是普通文件（链接或文件夹不能作为截图）")
	}
	limit := int64(l.cfg.Portal.MaxFileMB) << 20
	if limit <= 0 {
		limit = 20 << 20
	}
	fh, err := os.Open(path)
	if err != nil {
		return sanitize.File{}, fmt.Errorf("截图文件无法读取")
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return sanitize.File{}, fmt.Errorf("截图文件无法读取")
	}
	f, err := sanitize.Check(name, data, limit, l.cfg.Portal.MaxPixels())
	if err != nil {
		if fe, ok := err.(*sanitize.FileError); ok {
			return sanitize.File{}, fmt.Errorf("%s", fe.Msg)
		}
		return sanitize.File{}, fmt.Errorf("截图文件无法读取")
	}
	if f.Kind != "image" {
		return sanitize.File{}, fmt.Errorf("截图应为 JPEG 或 PNG 图片")
	}
	return f, nil
}
