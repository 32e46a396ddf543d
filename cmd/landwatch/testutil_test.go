package main

import (
	"context"
	"os"
	"testing"

	"landwatch/warehouse"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// openRW opens the warehouse file directly, as someone editing it behind the tool's back would.
func openRW(t *testing.T, path string) *warehouse.DB {
	t.Helper()
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}
