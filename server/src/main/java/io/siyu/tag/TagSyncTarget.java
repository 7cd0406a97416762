package io.siyu.tag;

/**
 * Somewhere tags are mirrored to, such as WeCom corp tags (the WeCom module implements it). Called
 * after each change committed; a target that fails must queue its own retry (an outbox), because
 * the tag change itself has already happened.
 */
public interface TagSyncTarget {

    void tagsChanged(TagChanged change);
}
