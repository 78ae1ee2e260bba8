/*
 * Consumable counting; see consumables.h. Kept free of CUPS and threads so that the rules
 * (warn once per crossing, out of service at zero, refill caps at capacity) are unit tested.
 */
#include "consumables.h"

#include <string.h>

static const char *const names[CONSUMABLE_COUNT] = { "sheets", "card-blanks", "ribbon" };

const char *consumable_name(enum consumable_kind k)
{
	return (int)k >= 0 && k < CONSUMABLE_COUNT ? names[k] : "?";
}

enum consumable_state consumable_state_of(const struct consumable *c)
{
	if (c->capacity <= 0)
		return CONSUMABLE_OK;
	if (c->level <= 0)
		return CONSUMABLE_EMPTY;
	if (c->level <= c->warn_at)
		return CONSUMABLE_LOW;
	return CONSUMABLE_OK;
}

static unsigned take_one(struct consumables *s, enum consumable_kind k, int n)
{
	struct consumable *c = &s->c[k];
	if (c->capacity <= 0 || n <= 0)
		return 0;
	enum consumable_state before = consumable_state_of(c);
	c->level = c->level > n ? c->level - n : 0;
	return consumable_state_of(c) != before ? 1u << k : 0;
}

unsigned consumables_take(struct consumables *s, bool card, int n)
{
	if (!card)
		return take_one(s, CONSUMABLE_SHEETS, n);
	return take_one(s, CONSUMABLE_CARDS, n) | take_one(s, CONSUMABLE_RIBBON, n);
}

unsigned consumables_refill(struct consumables *s, enum consumable_kind k, int amount)
{
	if ((int)k < 0 || k >= CONSUMABLE_COUNT)
		return 0;
	struct consumable *c = &s->c[k];
	if (c->capacity <= 0)
		return 0;
	enum consumable_state before = consumable_state_of(c);
	if (amount <= 0 || c->level + amount > c->capacity)
		c->level = c->capacity;
	else
		c->level += amount;
	return consumable_state_of(c) != before ? 1u << k : 0;
}

enum consumable_state consumables_worst(const struct consumables *s, enum consumable_kind *which)
{
	enum consumable_state worst = CONSUMABLE_OK;
	for (int k = 0; k < CONSUMABLE_COUNT; k++) {
		enum consumable_state st = consumable_state_of(&s->c[k]);
		if (st > worst) {
			worst = st;
			if (which)
				*which = (enum consumable_kind)k;
		}
	}
	return worst;
}

void consumables_init_a4(struct consumables *s, int sheets, int warn_at)
{
	memset(s, 0, sizeof(*s));
	s->c[CONSUMABLE_SHEETS] = (struct consumable){ sheets, sheets, warn_at };
}

void consumables_init_card(struct consumables *s, int cards, int card_warn, int ribbon,
			   int ribbon_warn)
{
	memset(s, 0, sizeof(*s));
	s->c[CONSUMABLE_CARDS] = (struct consumable){ cards, cards, card_warn };
	s->c[CONSUMABLE_RIBBON] = (struct consumable){ ribbon, ribbon, ribbon_warn };
}
