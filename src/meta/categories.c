/*
 * Apple Podcasts' category list (19 top-level categories and their
 * subcategories, exact spelling and case), as Apple publishes it for
 * itunes:category. Older lists ("Games & Hobbies", "Literature") are
 * rejected here so that no feed carries a name Apple no longer knows.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "podpub/meta.h"

struct apple_category {
    const char *name;
    const char *const *subs;   /* NULL-terminated */
};

#define SUBS(...) (const char *const[]){ __VA_ARGS__, NULL }

static const struct apple_category categories[] = {
    { "Arts", SUBS("Books", "Design", "Fashion & Beauty", "Food",
                   "Performing Arts", "Visual Arts") },
    { "Business", SUBS("Careers", "Entrepreneurship", "Investing",
                       "Management", "Marketing", "Non-Profit") },
    { "Comedy", SUBS("Comedy Interviews", "Improv", "Stand-Up") },
    { "Education", SUBS("Courses", "How To", "Language Learning",
                        "Self-Improvement") },
    { "Fiction", SUBS("Comedy Fiction", "Drama", "Science Fiction") },
    { "Government", SUBS(NULL) },
    { "History", SUBS(NULL) },
    { "Health & Fitness", SUBS("Alternative Health", "Fitness", "Medicine",
                               "Mental Health", "Nutrition", "Sexuality") },
    { "Kids & Family", SUBS("Education for Kids", "Parenting",
                            "Pets & Animals", "Stories for Kids") },
    { "Leisure", SUBS("Animation & Manga", "Automotive", "Aviation",
                      "Crafts", "Games", "Hobbies", "Home & Garden",
                      "Video Games") },
    { "Music", SUBS("Music Commentary", "Music History",
                    "Music Interviews") },
    { "News", SUBS("Business News", "Daily News", "Entertainment News",
                   "News Commentary", "Politics", "Sports News",
                   "Tech News") },
    { "Religion & Spirituality", SUBS("Buddhism", "Christianity", "Hinduism",
                                      "Islam", "Judaism", "Religion",
                                      "Spirituality") },
    { "Science", SUBS("Astronomy", "Chemistry", "Earth Sciences",
                      "Life Sciences", "Mathematics", "Natural Sciences",
                      "Nature", "Physics", "Social Sciences") },
    { "Society & Culture", SUBS("Documentary", "Personal Journals",
                                "Philosophy", "Places & Travel",
                                "Relationships") },
    { "Sports", SUBS("Baseball", "Basketball", "Cricket", "Fantasy Sports",
                     "Football", "Golf", "Hockey", "Rugby", "Running",
                     "Soccer", "Swimming", "Tennis", "Volleyball",
                     "Wilderness", "Wrestling") },
    { "Technology", SUBS(NULL) },
    { "True Crime", SUBS(NULL) },
    { "TV & Film", SUBS("After Shows", "Film History", "Film Interviews",
                        "Film Reviews", "TV Reviews") },
};

bool apple_category_valid(const char *name, const char *sub,
                          const char **suggestion)
{
    const char *top[ARRAY_SIZE(categories) + 1] = { NULL };
    const struct apple_category *cat = NULL;

    for (size_t i = 0; i < ARRAY_SIZE(categories); i++) {
        top[i] = categories[i].name;
        if (!strcmp(categories[i].name, name))
            cat = &categories[i];
    }
    *suggestion = NULL;
    if (!cat) {
        for (size_t i = 0; i < ARRAY_SIZE(categories); i++)
            if (!strcasecmp(categories[i].name, name))
                *suggestion = categories[i].name;
        if (!*suggestion)
            *suggestion = nearest_word(name, top);
        return false;
    }
    if (!sub)
        return true;
    for (const char *const *s = cat->subs; *s; s++)
        if (!strcmp(*s, sub))
            return true;
    for (const char *const *s = cat->subs; *s; s++)
        if (!strcasecmp(*s, sub))
            *suggestion = *s;
    if (!*suggestion)
        *suggestion = nearest_word(sub, cat->subs);
    return false;
}
