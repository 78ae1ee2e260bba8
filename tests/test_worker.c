/* The worker queue: jobs run in order, off the calling thread, all of them before destroy
 * returns, each with its own copy of the data. */
#include "check.h"
#include "worker.h"

#include <pthread.h>
#include <stdatomic.h>

static atomic_int next_expected;
static atomic_int out_of_order;
static pthread_t main_thread;
static atomic_int on_main;

static void job(void *ctx, void *data)
{
	int n = *(int *)data;
	(void)ctx;
	if (pthread_equal(pthread_self(), main_thread))
		on_main++;
	if (n != next_expected)
		out_of_order++;
	next_expected = n + 1;
}

int main(void)
{
	main_thread = pthread_self();
	struct worker *w = worker_create("test-worker");
	CHECK(w != NULL, "worker starts");
	for (int i = 0; i < 10000; i++)
		CHECK(worker_submit(w, job, NULL, &i, sizeof(i)), "submit %d", i);
	worker_destroy(w);
	CHECK(next_expected == 10000, "all jobs ran before destroy returned (%d)",
	      (int)next_expected);
	CHECK(out_of_order == 0, "jobs ran in order (%d out of order)", (int)out_of_order);
	CHECK(on_main == 0, "jobs ran on the worker thread");
	worker_destroy(NULL);
	return check_done();
}
