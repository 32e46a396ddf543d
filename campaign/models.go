package campaign

import (
	"fmt"
	"strconv"
	"strings"
)

// Models configures `models run` ([models]).
type Models struct {
	// MemoryLimit caps DuckDB's memory while the models build, e.g. "1GiB" or "768MiB"; what does
	// not fit spills to a temporary folder next to the warehouse. "": DefaultModelsMemoryLimit.
	MemoryLimit string `toml:"memory_limit"`
	// Threads is how many threads DuckDB runs while the models build; 0: DefaultModelsThreads.
	Threads int `toml:"threads"`
}

// DefaultModelsThreads is models.threads when the configuration leaves it out. A run is about a
// hundred statements, most of them over small tables: a second thread mostly costs coordination
// (locks, task hand-over), about a fifth more processor time in all (docs/SCALE.md).
const DefaultModelsThreads = 1

// maxModelsThreads is the most models.threads takes.
const maxModelsThreads = 256

// ThreadCount is models.threads (the default when it is 0).
func (m Models) ThreadCount() int {
	if m.Threads <= 0 || m.Threads > maxModelsThreads {
		return DefaultModelsThreads
	}
	return m.Threads
}

// DefaultModelsMemoryLimit is models.memory_limit when the configuration leaves it out.
const DefaultModelsMemoryLimit = "1GiB"

// minModelsMemory is the least models.memory_limit: below it DuckDB cannot build the power models
// even when spilling.
const minModelsMemory = 128 << 20

// MemoryLimitBytes is models.memory_limit in bytes (the default when it is empty).
func (m Models) MemoryLimitBytes() int64 {
	s := m.MemoryLimit
	if strings.TrimSpace(s) == "" {
		s = DefaultModelsMemoryLimit
	}
	n, err := ParseSize(s)
	if err != nil {
		n, _ = ParseSize(DefaultModelsMemoryLimit)
	}
	return n
}

// sizeUnits are the units ParseSize takes, longest first.
var sizeUnits = []struct {
	name string
	mul  float64
}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}}

// ParseSize reads an amount of memory such as "1GiB", "1.5 GB" or "768MiB" (a number and one of
// KB, MB, GB, TB, KiB, MiB, GiB, TiB).
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	for _, u := range sizeUnits {
		if num, ok := strings.CutSuffix(t, u.name); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || v <= 0 || v*u.mul >= 1<<53 {
				break
			}
			return int64(v * u.mul), nil
		}
	}
	return 0, fmt.Errorf("“%s”不是内存大小：应为数字加单位，如 1GiB、768MiB、2GB", s)
}

func (c *Config) checkModels(k *checker) {
	if n := c.Models.Threads; n < 0 || n > maxModelsThreads {
		k.bad("models.threads", "“%d”不在 1 到 %d 之间（不写则为 %d）", n, maxModelsThreads, DefaultModelsThreads)
	}
	s := c.Models.MemoryLimit
	if strings.TrimSpace(s) == "" {
		return
	}
	n, err := ParseSize(s)
	if err != nil {
		k.bad("models.memory_limit", "%s", err.Error())
		return
	}
	if n < minModelsMemory {
		k.bad("models.memory_limit", "“%s”太小：不能小于 128MiB", s)
	}
}
