package bot

import (
	"context"
	"fmt"
)

// warmDescription is a duty written in Traditional characters: matching
// it builds the job matcher's index and loads its converter, as the first
// /match in Traditional would.
const warmDescription = "照顧病人"

// Warm loads now what the core otherwise loads the first time a message
// needs it: the Chinese script converters (hundreds of milliseconds each,
// long enough to push a first Traditional reply past a platform's
// deadline) and the job matcher's index. Replies are right without it,
// only slower at first. It returns early with ctx's error when ctx ends;
// a dictionary that cannot be loaded is reported, and replies then stay
// in Simplified as they would anyway.
func (c *Core) Warm(ctx context.Context) error {
	if err := c.scripts.load(ctx); err != nil {
		return fmt.Errorf("warm up: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("warm up: %w", err)
	}
	c.cfg.Jobs.Match(warmDescription, 1)
	return nil
}

// Finder is a search while typing over the core's profiles that shares
// its script converters, so Warm loads them for both.
func (c *Core) Finder() *Finder { return newFinder(c.lib, c.scripts) }
