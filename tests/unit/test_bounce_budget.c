// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for the bounce buffer budget (kmod/lib/bounce_budget.c):
 * charges up to the limit, a deferred charge and the release that wakes
 * it, a charge over the whole limit, releases beyond what is used, and
 * the unlimited budget.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "bounce_budget.h"

#define KIB 1024u

static void test_fills_to_the_limit(void **state)
{
	struct bounce_budget b;

	(void)state;
	bounce_budget_init(&b, 16 * KIB);
	assert_int_equal(bounce_budget_charge(&b, 8 * KIB), 0);
	assert_int_equal(bounce_budget_charge(&b, 8 * KIB), 0);
	assert_int_equal(b.used, 16 * KIB);
	/* Empty buffers always fit, even in a full budget. */
	assert_int_equal(bounce_budget_charge(&b, 0), 0);
	assert_int_equal(b.deferred, 0);
	assert_false(b.waiting);
}

static void test_deferred_then_woken(void **state)
{
	struct bounce_budget b;

	(void)state;
	bounce_budget_init(&b, 16 * KIB);
	assert_int_equal(bounce_budget_charge(&b, 12 * KIB), 0);
	assert_int_equal(bounce_budget_charge(&b, 8 * KIB), -EAGAIN);
	assert_int_equal(bounce_budget_charge(&b, 8 * KIB), -EAGAIN);
	assert_int_equal(b.used, 12 * KIB);
	assert_int_equal(b.deferred, 2);
	assert_true(b.waiting);
	/* The release says so once; the retry then fits. */
	assert_true(bounce_budget_release(&b, 12 * KIB));
	assert_false(b.waiting);
	assert_int_equal(bounce_budget_charge(&b, 8 * KIB), 0);
	assert_false(bounce_budget_release(&b, 8 * KIB));
	assert_int_equal(b.used, 0);
}

static void test_release_without_waiter(void **state)
{
	struct bounce_budget b;

	(void)state;
	bounce_budget_init(&b, 4 * KIB);
	assert_int_equal(bounce_budget_charge(&b, 4 * KIB), 0);
	assert_false(bounce_budget_release(&b, 1 * KIB));
	assert_int_equal(b.used, 3 * KIB);
}

static void test_larger_than_the_budget(void **state)
{
	struct bounce_budget b;

	(void)state;
	bounce_budget_init(&b, 16 * KIB);
	assert_int_equal(bounce_budget_charge(&b, 16 * KIB + 1), -E2BIG);
	assert_int_equal(bounce_budget_charge(&b, UINT64_MAX), -E2BIG);
	assert_int_equal(b.refused, 2);
	/* Never retried: nobody waits for room. */
	assert_false(b.waiting);
	assert_int_equal(b.used, 0);
	/* Exactly the budget fits when it is empty. */
	assert_int_equal(bounce_budget_charge(&b, 16 * KIB), 0);
}

static void test_release_more_than_used(void **state)
{
	struct bounce_budget b;

	(void)state;
	bounce_budget_init(&b, 16 * KIB);
	assert_int_equal(bounce_budget_charge(&b, 1 * KIB), 0);
	bounce_budget_release(&b, 8 * KIB);
	assert_int_equal(b.used, 0);
	/* The whole budget is there again, no wrap below 0. */
	assert_int_equal(bounce_budget_charge(&b, 16 * KIB), 0);
	assert_int_equal(bounce_budget_charge(&b, 1), -EAGAIN);
}

static void test_unlimited(void **state)
{
	struct bounce_budget b;

	(void)state;
	bounce_budget_init(&b, 0);
	assert_int_equal(bounce_budget_charge(&b, 1u << 30), 0);
	assert_int_equal(bounce_budget_charge(&b, 1u << 30), 0);
	assert_int_equal(b.used, 2ull << 30);
	assert_int_equal(b.deferred + b.refused, 0);
}

static void test_room(void **state)
{
	struct bounce_budget b;

	(void)state;
	bounce_budget_init(&b, 1000);
	assert_int_equal(bounce_budget_room(&b), 1000);
	assert_int_equal(bounce_budget_charge(&b, 600), 0);
	assert_int_equal(bounce_budget_room(&b), 400);
	assert_int_equal(bounce_budget_charge(&b, 400), 0);
	assert_int_equal(bounce_budget_room(&b), 0);
	/* Asking for the room counts nothing and wakes nobody later. */
	assert_int_equal(b.deferred + b.refused, 0);
	assert_false(bounce_budget_release(&b, 1000));
	bounce_budget_init(&b, 0);
	assert_true(bounce_budget_room(&b) == UINT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fills_to_the_limit),
		cmocka_unit_test(test_deferred_then_woken),
		cmocka_unit_test(test_release_without_waiter),
		cmocka_unit_test(test_larger_than_the_budget),
		cmocka_unit_test(test_release_more_than_used),
		cmocka_unit_test(test_unlimited),
		cmocka_unit_test(test_room),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
