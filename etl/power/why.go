package power

import (
	"encoding/json"
	"errors"
	"fmt"

	"landwatch/internal/oserr"
)

// why is DuckDB's reason for err in Chinese after a colon, for a problem line that says what failed
// ("读取失败" + why(err)); "" when the reason has no Chinese words (oserr.Reading), so no English
// of DuckDB's reaches the person loading the file.
func why(err error) string {
	if r := oserr.Reading(err); r != "" {
		return "：" + r
	}
	return ""
}

// jsonWhere says in Chinese where encoding/json found a file not to be the JSON it wants.
func jsonWhere(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("不是有效的 JSON（第 %d 个字节附近）", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("字段 %s 的类型不对", typ.Field)
	}
	return "不是有效的 JSON"
}
