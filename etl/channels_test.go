package etl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// refusedAll checks a load that must be refused as a whole and checks every expected message.
func refusedAll(t *testing.T, err error, want ...string) {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a FileError, got %v", err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not contain %q:\n%s", w, err)
		}
	}
}

// An explosives register is refused by row and column: an unknown kind, a unit not the kind's, a
// quantity of 0, returns above the quantity drawn, a site naming no township, a point outside the
// county or missing, a date outside the campaign; nothing is loaded. A good one is loaded with 吨
// converted to 千克 and the township and village its 作业地点 names.
func TestExplosivesLoader(t *testing.T) {
	db, cfg := openDB(t)
	header := "流向编号,购买单位,许可证号,品种,数量,单位,领用日期,作业地点,经度,纬度,退库数量\n"
	bad := writeFile(t, "民爆-错.csv", header+
		"MB-1,沁源爆破公司,C1,硝铵,10,千克,2023-03-05,郭道镇郭道村,112.18,36.79,\n"+
		"MB-2,沁源爆破公司,C1,雷管,10,千克,2023-03-05,郭道镇郭道村,112.18,36.79,\n"+
		"MB-3,沁源爆破公司,C1,炸药,0,千克,2023-03-05,郭道镇郭道村,112.18,36.79,\n"+
		"MB-4,沁源爆破公司,C1,炸药,10,千克,2023-03-05,郭道镇郭道村,112.18,36.79,12\n"+
		"MB-5,沁源爆破公司,C1,炸药,10,千克,2023-03-05,北山采石场,112.18,36.79,\n"+
		"MB-6,沁源爆破公司,C1,炸药,10,千克,2023-03-05,郭道镇郭道村,115.00,36.79,\n"+
		"MB-7,沁源爆破公司,C1,炸药,10,千克,2023-03-05,郭道镇郭道村,,,\n"+
		"MB-8,沁源爆破公司,C1,炸药,10,千克,2019-03-05,郭道镇郭道村,112.18,36.79,\n"+
		"MB-8,,C1,炸药,10,千克,2023-03-05,郭道镇郭道村,112.18,36.79,\n")
	_, err := LoadFile(context.Background(), db, cfg, KindExplosives, bad, Options{})
	refusedAll(t, err,
		"第2行 品种: “硝铵” 应为炸药/雷管/导爆索之一",
		"第3行 单位: “千克” 不是雷管的计量单位（应为发）",
		"第4行 数量: “0” 应大于 0",
		"第5行 退库数量: “12” 大于数量 10",
		"第6行 作业地点: “北山采石场” 没有写明本县的乡镇",
		"第7行 经度: “115.00” 超出县域范围",
		"第8行 经度: 不能为空",
		"第9行 领用日期: “2019-03-05” 不在专项行动的阶段或常态化周期内",
		"第10行 购买单位: 不能为空",
		"第10行 流向编号: “MB-8” 编号重复")
	if n := count(t, db, `SELECT count(*) FROM raw_explosives`) + count(t, db, `SELECT count(*) FROM load_batches`); n != 0 {
		t.Fatalf("a refused file left %d rows or batches", n)
	}
	// a missing column is refused naming it
	_, err = LoadFile(context.Background(), db, cfg, KindExplosives, writeFile(t, "民爆-缺列.csv",
		"流向编号,购买单位,许可证号,品种,数量,单位,领用日期,作业地点,经度\nMB-1,沁源爆破公司,C1,炸药,1,千克,2023-03-05,郭道镇,112.18\n"), Options{})
	refusedAll(t, err, "纬度: 缺少必需的列")

	load(t, db, cfg, KindExplosives, writeFile(t, "民爆.csv", header+
		"MB-1,沁源爆破公司,C1,炸药,0.2,吨,2023-03-05,郭道镇白坪村北坡,112.18,36.79,0.05\n"+
		"MB-2,沁源爆破公司,C1,雷管,100,发,2023-03-06,郭道北山,112.18,36.79,\n"))
	got := fmt.Sprint(rowsOf(t, db, `SELECT flow_id, item, CAST(quantity AS VARCHAR), unit, township, coalesce(village, '-'), CAST(returned AS VARCHAR)
		FROM raw_explosives ORDER BY flow_id`))
	want := "[[MB-1 炸药 200.000 千克 郭道镇 白坪村 50.000] [MB-2 雷管 100.000 发 郭道镇 - 0.000]]"
	if got != want {
		t.Errorf("rows\n got  %s\n want %s", got, want)
	}
}

// pngBytes is a small PNG.
func pngBytes(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A video event list is refused by row and column — a missing screenshot, a screenshot that is no
// image, a name with a folder in it, a link instead of a file, a bad time, an unknown type, an
// unknown township — and nothing is loaded; a good one keeps each screenshot stripped of its
// metadata (a PNG text chunk does not survive).
func TestVideoLoader(t *testing.T) {
	db, cfg := openDB(t)
	dir := t.TempDir()
	shot := pngBytes(t)
	// a tEXt chunk after IHDR: metadata the sanitiser drops
	withText := append(append([]byte{}, shot[:33]...), pngChunk("tEXt", []byte("Comment\x00camera serial 12345"))...)
	withText = append(withText, shot[33:]...)
	for name, data := range map[string][]byte{"a.png": withText, "b.png": shot, "note.txt": []byte("not an image")} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "b.png"), filepath.Join(dir, "link.png")); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("事件编号,摄像头编号,乡镇,村,经度,纬度,时间,事件类型,截图文件名,说明\n"+body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("视频-错.csv",
		"SP-1,CAM-1,郭道镇,郭道村,112.18,36.79,2023-03-05 23:10,夜间作业,missing.png,\n"+
			"SP-2,CAM-1,郭道镇,郭道村,112.18,36.79,2023-03-05 23:10,夜间作业,note.txt,\n"+
			"SP-3,CAM-1,郭道镇,郭道村,112.18,36.79,2023-03-05 23:10,夜间作业,../b.png,\n"+
			"SP-4,CAM-1,郭道镇,郭道村,112.18,36.79,2023-03-05 23:10,夜间作业,link.png,\n"+
			"SP-5,CAM-1,郭道镇,郭道村,112.18,36.79,昨晚,夜间作业,b.png,\n"+
			"SP-6,CAM-1,郭道镇,郭道村,112.18,36.79,2023-03-05 23:10,打架,b.png,\n"+
			"SP-7,CAM-1,北京,郭道村,112.18,36.79,2023-03-05 23:10,其他,b.png,\n"+
			"SP-8,CAM-1,郭道镇,郭道村,112.18,36.79,2023-03-05 23:10,其他,,\n")
	_, err := LoadFile(context.Background(), db, cfg, KindVideo, bad, Options{})
	refusedAll(t, err,
		"第2行 截图文件名: “missing.png” 截图文件不存在",
		"第3行 截图文件名: “note.txt”",
		"第4行 截图文件名: “../b.png” 应为表格所在文件夹中的文件名",
		"第5行 截图文件名: “link.png” 不是普通文件",
		"第6行 时间: “昨晚” 不是有效时间",
		"第7行 事件类型: “打架” 应为夜间作业/车辆进出/机械作业/其他之一",
		"第8行 乡镇: “北京” 不是本县的乡镇",
		"第9行 截图文件名: 不能为空")
	if n := count(t, db, `SELECT count(*) FROM raw_video_events`) + count(t, db, `SELECT count(*) FROM raw_video_screenshots`); n != 0 {
		t.Fatalf("a refused file left %d rows", n)
	}
	// uploaded without its folder, a list cannot find its screenshots
	data, _ := os.ReadFile(write("视频-上传.csv", "SP-1,CAM-1,郭道镇,郭道村,112.18,36.79,2023-03-05 23:10,夜间作业,a.png,\n"))
	_, err = Load(context.Background(), db, cfg, KindVideo, "视频-上传.csv", bytes.NewReader(data), Options{})
	refusedAll(t, err, "第2行 截图文件名: “a.png” 找不到截图")

	load(t, db, cfg, KindVideo, write("视频.csv",
		"SP-1,CAM-1,郭道镇,郭道村,112.18,36.79,2023-03-05 23:10,夜间作业,a.png,井口有灯光\n"+
			"SP-2,CAM-1,郭道镇,郭道村,112.18,36.79,2023/3/6 14:05:30,车辆进出,b.png,\n"))
	got := fmt.Sprint(rowsOf(t, db, `SELECT e.event_id, strftime(e.seen_at, '%Y-%m-%d %H:%M:%S'), s.mime, CAST(contains(CAST(s.data AS VARCHAR), 'camera serial') AS VARCHAR)
		FROM raw_video_events e JOIN raw_video_screenshots s USING (batch_id, event_id) ORDER BY e.event_id`))
	want := "[[SP-1 2023-03-05 23:10:00 image/png false] [SP-2 2023-03-06 14:05:30 image/png false]]"
	if got != want {
		t.Errorf("rows\n got  %s\n want %s", got, want)
	}
}

// pngChunk is one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	n := len(data)
	b.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	b.WriteString(typ)
	b.Write(data)
	c := crc32.ChecksumIEEE(append([]byte(typ), data...))
	b.Write([]byte{byte(c >> 24), byte(c >> 16), byte(c >> 8), byte(c)})
	return b.Bytes()
}
