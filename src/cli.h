/* cli.h */
#ifndef PG_CLI_H
#define PG_CLI_H
#endif
