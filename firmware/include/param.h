/* Build-time limits of the firmware. Included from assembly too: #defines only. */
#ifndef PARAM_H
#define PARAM_H

#define NHART       64      /* harts that get a stack; any others park at boot */
#define STACK_SIZE  4096    /* bytes of stack per hart */

#endif
