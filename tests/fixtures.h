/* fixtures.h — placeholder. */
#ifndef PG_FIXTURES_H
#define PG_FIXTURES_H
#endif
