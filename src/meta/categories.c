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

/* Names from Apple's lists before 2019, still in many feeds and libraries. */
static const struct {
    const char *old, *replacement;
} retired[] = {
    { "Games & Hobbies", "Leisure/Games" },
    { "Games & Hobbies/Video Games", "Leisure/Video Games" },
    { "Games & Hobbies/Hobbies", "Leisure/Hobbies" },
    { "Games & Hobbies/Automotive", "Leisure/Automotive" },
    { "Games & Hobbies/Aviation", "Leisure/Aviation" },
    { "Games & Hobbies/Other Games", "Leisure/Games" },
    { "Arts/Literature", "Arts/Books" },
    { "Business/Business News", "News/Business News" },
    { "Business/Shopping", "Business" },
    { "Technology/Tech News", "News/Tech News" },
    { "Technology/Podcasting", "Technology" },
    { "Technology/Gadgets", "Technology" },
    { "Technology/Software How-To", "Technology" },
    { "Science & Medicine", "Science" },
    { "Science & Medicine/Medicine", "Health & Fitness/Medicine" },
    { "Science & Medicine/Natural Sciences", "Science/Natural Sciences" },
    { "Science & Medicine/Social Sciences", "Science/Social Sciences" },
    { "Sports & Recreation", "Sports" },
    { "Government & Organizations", "Government" },
    { "Health", "Health & Fitness" },
    { "Society & Culture/History", "History" },
    { "News & Politics", "News" },
    { "Education/Educational Technology", "Education" },
    { "Education/Higher Education", "Education/Courses" },
    { "Religion & Spirituality/Other", "Religion & Spirituality" },
};

bool apple_category_retired(const char *full)
{
    for (size_t i = 0; i < ARRAY_SIZE(retired); i++)
        if (!strcasecmp(retired[i].old, full))
            return true;
    return false;
}

/* The entry of 'list' equal to 's', ignoring case, else the nearest. */
static const char *fix_word(const char *s, const char *const *list)
{
    for (const char *const *p = list; *p; p++)
        if (!strcasecmp(*p, s))
            return *p;
    return nearest_word(s, list);
}

bool apple_category_valid(const char *name, const char *sub,
                          char **suggestion)
{
    const char *top[ARRAY_SIZE(categories) + 1] = { NULL };
    const struct apple_category *cat = NULL;
    const char *fixed_name, *fixed_sub = NULL;
    char *full = sub ? xstrfmt("%s/%s", name, sub) : xstrdup(name);

    *suggestion = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(categories); i++) {
        top[i] = categories[i].name;
        if (!strcmp(categories[i].name, name))
            cat = &categories[i];
    }
    if (cat) {
        for (const char *const *s = cat->subs; sub && *s; s++)
            if (!strcmp(*s, sub))
                sub = NULL;   /* found */
        if (!sub) {
            free(full);
            return true;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(retired); i++)
        if (retired[i].replacement && !strcasecmp(retired[i].old, full)) {
            *suggestion = xstrdup(retired[i].replacement);
            free(full);
            return false;
        }
    free(full);
    fixed_name = fix_word(name, top);
    if (!fixed_name)
        return false;
    for (size_t i = 0; i < ARRAY_SIZE(categories); i++)
        if (categories[i].name == fixed_name)
            cat = &categories[i];
    if (sub && !(fixed_sub = fix_word(sub, cat->subs))) {
        *suggestion = xstrdup(fixed_name);
        return false;
    }
    *suggestion = fixed_sub ? xstrfmt("%s/%s", fixed_name, fixed_sub)
                            : xstrdup(fixed_name);
    return false;
}
